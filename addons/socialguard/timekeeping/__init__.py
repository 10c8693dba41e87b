"""Working-time accounting: the one time model that reports and the banner's usage meter both use."""
