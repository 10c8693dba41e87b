"""One module per `socialguard` subcommand."""
