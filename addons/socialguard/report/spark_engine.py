"""Reports on Apache Spark: the same events, the same time model, the same rows as the embedded (DuckDB) engine.

Spark reads the events where the shippers put them (any path Spark reads: local, hdfs://, s3a://, abfss://,
dbfs:/): day files `events-YYYY-MM-DD.jsonl[.gz]` and Parquet partitions `date=YYYY-MM-DD/*.parquet`, either
written by `socialguard convert` (the report columns) or by a shipper (the ECS document as nested columns).
It projects them onto the report columns with the field table of `source` (one definition of what is read),
then:
- people (with their latest group), platforms, distinct flags and who is present in the range are small and
  are collected to the driver;
- the time model runs on the executors: `timekeeping.sessions.account` over whole people, grouped by person
  (`groupBy(people).applyInPandas`, a few hundred people per call), with the working calendar and clock cells
  broadcast; only its result (ms per person, platform and clock hour) comes back;
- `report.build` then applies the privacy rules and aggregates exactly as for the embedded engine, and the same
  renderers write the report.

Multi-node duplicates need nothing here: the model merges identical requests of a person, and flags are kept
once per identity (`flag_key`), as in `source`.
"""

from __future__ import annotations

import os
import re
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from typing import Any

import numpy as np

from ..policy.model import CATEGORIES
from ..timekeeping.calendar import Cells, WorkCalendar
from ..timekeeping.sessions import Booked, Requests, account
from ..timekeeping.usage import Usage
from . import source
from .source import ACTIONS, FIELDS, FILE_RE, FLAG_KEY_FIELDS, GROUP_FIELD, EventData, field_tree

# A file the converter wrote: the day file's name, its size and mtime (ns) when converted.
CONVERTED_RE = re.compile(r"^(events-\d{4}-\d{2}-\d{2}\.jsonl(?:\.gz)?)\.(\d+)-(\d+)(?:\.v(\d+))?\.parquet$")
PARTITION_RE = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")
# JSON-lines objects a shipper writes under date= partitions (Vector's aws_s3 / azure_blob sinks: `.log.gz`,
# Fluent Bit's s3 output: any name), read like the day files.
SHIPPED_JSON_RE = re.compile(r"\.(jsonl|json|ndjson|log)(\.gz)?$|\.gz$")
BOOKED_SCHEMA = "u long, p long, cell long, total long, working long"
PEOPLE_PER_CALL = 256


def session(app: str = "socialguard-report"):
    """The active SparkSession (spark-submit's, a notebook's, the tests'), or a new one; the master and
    resources come from spark-submit or PYSPARK_SUBMIT_ARGS as Spark users expect (default local[*])."""
    from pyspark.sql import SparkSession

    if "PYSPARK_GATEWAY_PORT" not in os.environ and SparkSession.getActiveSession() is None:
        # Not under spark-submit: this process starts Spark itself (local[*] unless PYSPARK_SUBMIT_ARGS says
        # otherwise), and its Python workers must be this interpreter, with socialguard importable.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # (These settings apply only to a session started here; an existing one keeps its own.)
    spark = (SparkSession.builder.appName(app).config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    # Event times are UTC instants; nothing may depend on the cluster's default time zone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    return spark


# -- where the events are -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Inputs:
    json_files: list[str]        # day files not covered by a converted partition, shipped JSON-lines objects
    converted: list[str]         # Parquet written by `socialguard convert` (report columns)
    ecs_parquet: list[str]       # other Parquet under date= partitions (ECS documents as nested columns)
    ignored: list[str] = ()      # converted by another socialguard version (other columns): convert again


def find_inputs(spark, location: str, first_day: date, last_day: date) -> Inputs:
    """Every event file under `location` (recursively, through Hadoop's file system, so any scheme Spark
    reads) that can hold events of UTC days [first_day, last_day]."""
    jvm = spark._jvm
    root = jvm.org.apache.hadoop.fs.Path(location)
    fs = root.getFileSystem(spark._jsc.hadoopConfiguration())
    if not fs.exists(root):
        return Inputs([], [], [])
    json_files: dict[tuple[str, str], tuple[str, int, int]] = {}      # (folder, name) -> (path, size, mtime ms)
    converted: list[tuple[str, str, str, int, int]] = []                 # (path, owner folder, name, size, mtime)
    ecs: list[str] = []
    shipped: list[str] = []
    ignored: list[str] = []
    it = fs.listFiles(root, True)
    while it.hasNext():
        st = it.next()
        path = st.getPath()
        name = path.getName()
        m = FILE_RE.match(name)
        if m:
            if first_day <= date.fromisoformat(m.group(1)) <= last_day:
                json_files[(path.getParent().toString(), name)] = (path.toString(), int(st.getLen()),
                                                                   int(st.getModificationTime()))
            continue
        part = PARTITION_RE.match(path.getParent().getName())
        if not part or not first_day <= date.fromisoformat(part.group(1)) <= last_day or name.startswith((".", "_")):
            continue
        if not name.endswith(".parquet"):
            if SHIPPED_JSON_RE.search(name):
                shipped.append(path.toString())
            continue
        c = CONVERTED_RE.match(name)
        if c and int(c.group(4) or 1) != source.CACHE_VERSION:
            ignored.append(path.toString())     # written by another version, with other columns
        elif c:
            # A converter's partition folder sits in EVENTS/.report-cache/ (or another --cache-dir).
            owner = path.getParent().getParent().getParent().toString()
            converted.append((path.toString(), owner, c.group(1), int(c.group(2)), int(c.group(3)) // 1_000_000))
        else:
            ecs.append(path.toString())
    fresh, covered = [], set()
    for path, owner, name, size, mtime_ms in converted:
        day_file = json_files.get((owner, name))
        if day_file is not None and day_file[1:] != (size, mtime_ms):
            continue            # the day file changed since (it grew): the JSON is read instead
        fresh.append(path)
        if day_file is not None:
            covered.add((owner, name))
    todo = [v[0] for k, v in json_files.items() if k not in covered] + shipped
    return Inputs(sorted(todo), sorted(fresh), sorted(ecs), sorted(ignored))


# -- projection onto the report columns (the same as source._SELECT) ------------------------------------
def _spark_type(kind: str):
    from pyspark.sql import types as T

    # @timestamp is read as text and cast, so JSON and Parquet (string or timestamp) go the same way.
    # A JSON field is read as text (Spark keeps an object's JSON text in a string field).
    return {"TIMESTAMP": T.StringType(), "VARCHAR": T.StringType(), "JSON": T.StringType(),
            "BOOLEAN": T.BooleanType()}[kind]


def ecs_schema():
    """The JSON schema Spark reads with: only the fields of source.FIELDS (the rest of each line is skipped)."""
    from pyspark.sql import types as T

    tree = field_tree()

    def struct(t: dict):
        return T.StructType([T.StructField(k, _spark_type(v) if isinstance(v, str) else struct(v), True)
                             for k, v in t.items()])

    return struct(tree)


def _kind(schema, path: str):
    """The type at an ECS path of a schema, or None when a file does not have the field."""
    from pyspark.sql import types as T

    return reduce(lambda t, k: t[k].dataType if isinstance(t, T.StructType) and k in t.names else None,
                  path.split("."), schema)


def _field_at(path: str, schema):
    """The column at an ECS path; NULL when the schema (a Parquet file's) lacks it, as a missing JSON key."""
    from pyspark.sql import functions as F

    if _kind(schema, path) is None:
        return F.lit(None).cast("boolean" if FIELDS.get(path) == "BOOLEAN" else "string")
    head, *rest = path.split(".")
    return reduce(lambda c, k: c.getField(k), rest, F.col(f"`{head}`"))


def group_column(df):
    """The person's group as source.group_sql() reads it: ECS `user.group.name`, or a plain string written
    before issue 11; a shipper's Parquet may hold the object as a struct."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    g = _field_at(GROUP_FIELD, df.schema)
    kind = _kind(df.schema, GROUP_FIELD)
    if isinstance(kind, T.StructType):
        return g.getField("name") if "name" in kind.names else F.lit(None).cast("string")
    g = g.cast("string")
    return F.when(F.ltrim(g).startswith("{"), F.get_json_object(g, "$.name")).otherwise(g)


def project_ecs(df):
    """ECS documents -> report columns, row for row as source._SELECT does."""
    from pyspark.sql import functions as F

    def field(path: str):
        return _field_at(path, df.schema)

    action = field("event.action")
    ts = field("@timestamp").cast("timestamp")
    out = df.select(
        F.unix_millis(ts).alias("ts"),
        field("user.name").alias("user"),
        group_column(df).alias("grp"),
        field("socialguard.platform").alias("platform"),
        F.coalesce(field("socialguard.background"), F.lit(False)).alias("background"),
        F.coalesce(field("socialguard.category"), F.lit("personal")).alias("category"),
        action.alias("action"),
        field("socialguard.guideline").alias("guideline"),
        F.when(action == "social.flag",
               F.concat_ws("|", *[field(f) for f in FLAG_KEY_FIELDS])).alias("flag_key"),
    )
    return out.where(F.col("action").isin(*ACTIONS) & F.col("ts").isNotNull() & F.col("user").isNotNull()
                     & F.col("platform").isNotNull())


def read_events(spark, inputs: Inputs):
    """The report columns of every input, as one DataFrame."""
    parts = []
    if inputs.json_files:
        parts.append(project_ecs(spark.read.schema(ecs_schema()).json(inputs.json_files)))
    if inputs.ecs_parquet:
        # Files written at different times differ in shape (user.group a string before issue 11, an object
        # after): one read per distinct schema, each projected on its own.
        by_schema: dict[str, list[str]] = {}
        for path in inputs.ecs_parquet:
            by_schema.setdefault(spark.read.parquet(path).schema.json(), []).append(path)
        parts += [project_ecs(spark.read.parquet(*paths)) for paths in by_schema.values()]
    if inputs.converted:
        parts.append(spark.read.parquet(*inputs.converted).select(*source.REPORT_COLUMNS))
    if not parts:
        return None
    return reduce(lambda a, b: a.unionByName(b), parts)


# -- the model on the executors -------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelContext:
    """What every executor needs to run the model for one person (broadcast once)."""

    calendar: WorkCalendar
    cells: Cells
    first: date
    last: date
    idle_gap_ms: int
    tail_ms: int
    users: list[str]                      # the report's people, by index
    groups: list[tuple[str, ...]]         # per person index: the groups that pick their schedule


def account_people(ctx: ModelContext, user: np.ndarray, platform: np.ndarray, ts: np.ndarray,
                   background: np.ndarray) -> Booked:
    """timekeeping's model for the whole requests of some people (every request of each of them), each with
    their own working windows. The model keeps people apart by construction (a person's sessions, union and
    clipping never see another's), so one call for many people books what one call per person would."""
    index, local = np.unique(user.astype(np.int64), return_inverse=True)
    req = Requests(local.astype(np.int64), platform.astype(np.int64), ts.astype(np.int64), background.astype(bool))
    windows = ctx.calendar.windows_array([ctx.users[i] for i in index], [ctx.groups[i] for i in index],
                                         ctx.first, ctx.last)
    b = account(req, ctx.cells, windows, ctx.idle_gap_ms, ctx.tail_ms)
    return Booked(index[b.user], b.platform, b.cell, b.total, b.working)


def _model_udf(broadcast):
    def per_people(pdf):
        import pandas as pd

        b = account_people(broadcast.value, pdf["u"].to_numpy(), pdf["p"].to_numpy(), pdf["ts"].to_numpy(),
                           pdf["background"].to_numpy())
        return pd.DataFrame({"u": b.user, "p": b.platform, "cell": b.cell.astype(np.int64),
                             "total": b.total, "working": b.working})

    return per_people


@dataclass(frozen=True)
class SparkEventData(EventData):
    """EventData whose requests stay in Spark: `usage` runs the model there, on whole people."""

    activity: Any = None                  # DataFrame (u, p, c, ts, background) of activity events
    events: Any = None                    # DataFrame of all report columns in the range read
    # One model run per (worktime policy, groups, range): several reports of the same data reuse it.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def usage(self, calendar: WorkCalendar, groups: list[tuple[str, ...]], first: date, last: date, *,
              categories: tuple[str, ...] | None = None, by_category: bool = False) -> Usage:
        key = (id(calendar.policy), tuple(tuple(g) for g in groups), first, last,
               None if categories is None else tuple(categories), by_category)
        hit = self.memo.get(key)
        if hit is None or hit[0] is not calendar.policy:     # the policy object itself, not a reused id
            hit = self.memo[key] = (calendar.policy,
                                    self._usage(calendar, groups, first, last, categories, by_category))
        return hit[1]

    def _usage(self, calendar: WorkCalendar, groups: list[tuple[str, ...]], first: date, last: date,
               categories: tuple[str, ...] | None, by_category: bool) -> Usage:
        from pyspark.sql import SparkSession
        from pyspark.sql import functions as F

        cells = calendar.cells(first, last)
        platforms = list(CATEGORIES) if by_category else self.platforms
        if self.activity is None or not self.users:
            z = np.zeros(0, dtype=np.int64)
            return Usage(self.users, platforms, cells, Booked(z, z, z, z, z))
        # The same choice as EventData.usage: only the requests of `categories`; by category, the category
        # stands in for the platform.
        requests = self.activity
        if categories is not None:
            requests = requests.where(F.col("c").isin([CATEGORIES.index(c) for c in categories]))
        if by_category:
            requests = requests.withColumn("p", F.col("c"))
        requests = requests.select("u", "p", "ts", "background")
        p = calendar.policy
        ctx = ModelContext(calendar, cells, first, last, int(p.idle_gap_seconds * 1000), int(p.tail_seconds * 1000),
                           list(self.users), list(groups))
        spark = SparkSession.getActiveSession() or session()
        bc = spark.sparkContext.broadcast(ctx)
        try:
            # Whole people go to one call: grouped by person (PEOPLE_PER_CALL people per pandas call, so the
            # Python call and Arrow batch overheads are paid per few hundred people, not per person).
            calls = max(spark.sparkContext.defaultParallelism, -(-len(self.users) // PEOPLE_PER_CALL))
            person_group = F.pmod(F.col("u"), F.lit(calls))
            pdf = (requests.groupBy(person_group.alias("people")).applyInPandas(_model_udf(bc), schema=BOOKED_SCHEMA)
                   .toPandas())
        finally:
            bc.destroy()
        u, pl, cell = (pdf[c].to_numpy(np.int64) for c in ("u", "p", "cell"))
        order = np.lexsort((cell, pl, u))           # the embedded engine's order: person, platform, hour
        booked = Booked(u[order], pl[order], cell[order], pdf["total"].to_numpy(np.int64)[order],
                        pdf["working"].to_numpy(np.int64)[order])
        return Usage(self.users, platforms, cells, booked)

    def present(self, begin_ms: int, end_ms: int) -> np.ndarray:
        from pyspark.sql import functions as F

        key = ("present", int(begin_ms), int(end_ms))
        if key not in self.memo:
            out = np.zeros(len(self.users), dtype=bool)
            if self.events is not None:
                index = {u: i for i, u in enumerate(self.users)}
                here = (self.events.where((F.col("ts") >= int(begin_ms)) & (F.col("ts") < int(end_ms)))
                        .select("user").distinct().collect())
                out[[index[r[0]] for r in here]] = True
            self.memo[key] = out
        return self.memo[key].copy()


def load(location: str, first: date, last: date, begin_ms: int, end_ms: int, *, spark=None,
         warn: Callable[[str], None] = lambda _msg: None) -> SparkEventData:
    """Events with begin_ms <= @timestamp < end_ms (as source.load), read by Spark from `location`."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    spark = spark or session()
    inputs = find_inputs(spark, location, first - timedelta(days=2), last + timedelta(days=1))
    for path in inputs.ignored:
        warn(f"skipping {path}: converted by another socialguard version (run socialguard convert again)")
    ev = read_events(spark, inputs)
    if ev is None:
        warn(f"no event files under {location} for {first}..{last}")
        return _empty()
    ev = ev.where((F.col("ts") >= int(begin_ms)) & (F.col("ts") < int(end_ms)))
    if inputs.json_files:
        # JSON is parsed once, then scanned by the small queries and the model; released with the data.
        ev = ev.persist(StorageLevel.MEMORY_AND_DISK)
    data = _collect(ev)
    if inputs.json_files:
        weakref.finalize(data, ev.unpersist)
    return data


def _collect(ev) -> SparkEventData:
    from pyspark.sql import functions as F

    people = (ev.groupBy("user")
              # The latest event's group (an event without one does not erase it), as DuckDB's arg_max.
              .agg(F.max_by("grp", F.when(F.col("grp").isNotNull(), F.col("ts"))).alias("grp"))
              .toPandas().sort_values("user", kind="stable"))
    if people.empty:
        return _empty()
    users = people["user"].tolist()
    index = {u: i for i, u in enumerate(users)}
    platforms = sorted(r[0] for r in ev.where(F.col("action") == "social.activity").select("platform")
                       .distinct().collect())
    flag_rows = (ev.where(F.col("action") == "social.flag").select("user", "guideline", "ts", "flag_key")
                 .distinct().collect())
    flags = [(index[r["user"]], r["guideline"] or "?", int(r["ts"])) for r in flag_rows]
    plat_index = F.array_position(F.array(*[F.lit(p) for p in platforms]), F.col("platform")) - 1
    # As source.load: the category's index in CATEGORIES; an unknown one counts as personal.
    cat = F.array_position(F.array(*[F.lit(c) for c in CATEGORIES]), F.col("category")) - 1
    cat = F.when(cat < 0, F.lit(CATEGORIES.index("personal"))).otherwise(cat)
    # People travel to the model as their index (a broadcast join with the small people table), not their name.
    spark = ev.sparkSession
    people_index = spark.createDataFrame([(u, i) for i, u in enumerate(users)], "user string, u long")
    activity = (ev.where(F.col("action") == "social.activity").join(F.broadcast(people_index), "user")
                .select("u", plat_index.cast("long").alias("p"), cat.cast("long").alias("c"), "ts", "background")
                ) if platforms else None
    groups = [None if g is None or (isinstance(g, float) and np.isnan(g)) else g for g in people["grp"].tolist()]
    z = np.zeros(0, dtype=np.int64)
    return SparkEventData(users, groups, platforms, Requests(z, z, z, np.zeros(0, dtype=bool)), flags,
                          activity=activity, events=ev)


def _empty() -> SparkEventData:
    e = source.load_empty()
    return SparkEventData(e.users, e.user_groups, e.platforms, e.requests, e.flags)


def has_events(location: str, first_day: date, last_day: date, *, spark=None) -> bool:
    """Any event file or partition of UTC days [first_day, last_day] under `location` (as the embedded engine
    asks of its folder before comparing with an earlier period)."""
    inputs = find_inputs(spark or session(), location, first_day, last_day)
    return bool(inputs.json_files or inputs.converted or inputs.ecs_parquet)


def is_remote(location: str) -> bool:
    """A location given as a URL (hdfs://, s3a://, abfss://, dbfs:/, file:/ ...): only Spark reads it."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", location))
