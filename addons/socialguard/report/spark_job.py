"""spark-submit entry point: `socialguard report --engine spark` as a Spark application (docs/scale.md).

    spark-submit --master yarn --deploy-mode client ... "$(python -c 'import socialguard.report.spark_job as j;
        print(j.__file__)')" --events s3a://lake/socialguard/events --policy /etc/socialguard/policy \
        --from 2026-11-01 --to 2026-11-30 --period month --format html --out /srv/reports

Absolute imports only: spark-submit runs this file as a script, with socialguard installed on the driver and
executors (`pip install socialguard[spark]`, or a wheel / --py-files archive).
"""

import os
import sys

# Run as a script, this file's folder would come first on sys.path and its modules (html.py) would shadow the
# standard library's.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]


def main(argv: list[str] | None = None) -> int:
    from socialguard.cli import main as cli

    return cli(["report", "--engine", "spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
