#!/usr/bin/env python3
"""De-identify a text column of a Parquet or CSV table with PySpark and deid.

Every Python worker process builds one ``deid.Deidentifier`` (the first time it is needed) and
reuses it for all the batches it is given; each Arrow batch of rows is redacted with one
``redact_batch`` call, which runs on all the worker's cores with the interpreter lock released.
The output is Parquet: the input columns, with the text column replaced by the redacted text,
plus a column of the detected spans as JSON (offsets into the *original* text, as Python
``str`` indices; see ``deid.Span.to_dict``).

    spark-submit examples/spark_deidentify.py notes.parquet notes_deid.parquet \\
        --text-column note --id-column patient_id --strategy surrogate --secret-file key.txt

or, without a cluster, ``python examples/spark_deidentify.py ... --master 'local[*]'``.
The ``deid`` package must be installed on every worker (the ``deid-notes`` distribution:
``pip install ./crates/deid-py`` or a wheel built with ``maturin build --release``; the ``deid``
distribution on PyPI is an unrelated DICOM tool).

With ``--id-column``, the id is the record key: keyed date shifts (``--date-shift-max-days``)
and surrogate dates move every note of one record by the same number of days. A keyed shift
needs it (and a value in every row with a note): without a key, every note would share one
shift. The secret is
read on the driver and shipped to the workers inside the task closure; use a cluster with
encrypted RPC (``spark.network.crypto.enabled``) if that matters.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

# One Deidentifier per Python worker process, keyed by its options. This module is shipped to
# the workers with `addPyFile` and imported there by name, so this dict lives as long as the
# worker process (Spark reuses Python workers across tasks by default).
_ENGINES: dict[tuple[Any, ...], Any] = {}


def engine(strategy: str, secret: bytes | None, date_shift_max_days: int | None) -> Any:
    """The process-wide ``deid.Deidentifier`` for these options, built on first use."""
    key = (strategy, secret, date_shift_max_days)
    d = _ENGINES.get(key)
    if d is None:
        import deid

        d = deid.Deidentifier(
            strategy=strategy, secret=secret, date_shift_max_days=date_shift_max_days
        )
        _ENGINES[key] = d
        # Goes to the executor's stderr; the test counts these lines per process.
        print(f"spark_deidentify: built a Deidentifier in process {os.getpid()}", file=sys.stderr)
    return d


def deidentify_batches(
    batches: Iterator[pd.DataFrame],
    *,
    text_column: str,
    id_column: str | None,
    spans_column: str,
    strategy: str,
    secret: bytes | None,
    date_shift_max_days: int | None,
    n_threads: int | None,
) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: redacts ``text_column`` of each batch, adds the spans."""
    import deid.pandas

    d = engine(strategy, secret, date_shift_max_days)
    for batch in batches:
        yield deid.pandas.redact_column(
            batch,
            text_column,
            d,
            spans_column=spans_column,
            record_key_column=id_column,
            n_threads=n_threads,
        )


def read_table(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    if fmt == "auto":
        fmt = "csv" if path.rstrip("/").lower().endswith((".csv", ".csv.gz")) else "parquet"
    if fmt == "csv":
        # Notes span lines and contain quotes: RFC 4180 quoting, header row.
        return (
            spark.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .csv(path)
        )
    return spark.read.parquet(path)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="De-identify a text column of a Parquet or CSV table with deid on Spark."
    )
    p.add_argument("input", help="input table: a Parquet file or directory, or a CSV file")
    p.add_argument("output", help="output Parquet directory")
    p.add_argument("--text-column", default="text", help="the column of notes (default: text)")
    p.add_argument("--id-column", help="a record (patient) id column, used as the record key")
    p.add_argument("--spans-column", default="spans", help="output column of spans as JSON")
    p.add_argument(
        "--strategy",
        default="tag",
        choices=["tag", "numbered", "mask", "surrogate"],
        help="how identifiers are replaced (default: tag)",
    )
    p.add_argument("--secret-file", help="file with the secret key (surrogate, keyed shifts)")
    p.add_argument(
        "--date-shift-max-days",
        type=int,
        help="shift dates by a keyed per-record offset of up to this many days",
    )
    p.add_argument("--format", choices=["auto", "parquet", "csv"], default="auto")
    p.add_argument("--master", help="Spark master, e.g. 'local[4]' (default: from spark-submit)")
    p.add_argument("--partitions", type=int, help="repartition the input into this many parts")
    p.add_argument("--threads", type=int, help="threads per task (default: all cores)")
    p.add_argument("--overwrite", action="store_true", help="replace the output if it exists")
    return p.parse_args(argv)


def read_secret(path: str | None) -> bytes | None:
    if path is None:
        return None
    with open(path, "rb") as f:
        secret = f.read().rstrip(b"\r\n")
    if not secret:
        raise SystemExit(f"{path}: the secret file is empty")
    return secret


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    secret = read_secret(args.secret_file)
    # Fail fast, on the driver, on options that the workers would reject.
    if engine(args.strategy, secret, args.date_shift_max_days).needs_record_key and (
        args.id_column is None
    ):
        # As deid.Deidentifier.redact and the deid CLI: a keyed shift without a record key
        # would move every note by one shared offset, which one known date undoes.
        raise SystemExit(
            "--date-shift-max-days needs --id-column (the record key): each record is shifted "
            "by its own keyed offset"
        )

    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType, StructField, StructType

    builder = SparkSession.builder.appName("deid")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        # Ship this file so the workers import it by name and keep `_ENGINES` between tasks
        # (a function from `__main__` would be pickled by value, with a fresh cache each task).
        spark.sparkContext.addPyFile(os.path.abspath(__file__))
        import spark_deidentify as job

        df = read_table(spark, args.input, args.format)
        for col in (args.text_column, args.id_column):
            if col is not None and col not in df.columns:
                raise SystemExit(f"{args.input}: no column {col!r} (columns: {df.columns})")
        if args.partitions:
            df = df.repartition(args.partitions)
        fields = [
            StructField(f.name, StringType(), True) if f.name == args.text_column else f
            for f in df.schema.fields
        ]
        schema = StructType([*fields, StructField(args.spans_column, StringType(), True)])
        text_column, id_column, spans_column = args.text_column, args.id_column, args.spans_column
        strategy, shift, threads = args.strategy, args.date_shift_max_days, args.threads

        def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            return job.deidentify_batches(
                batches,
                text_column=text_column,
                id_column=id_column,
                spans_column=spans_column,
                strategy=strategy,
                secret=secret,
                date_shift_max_days=shift,
                n_threads=threads,
            )

        out = df.mapInPandas(run, schema=schema)
        out.write.mode("overwrite" if args.overwrite else "errorifexists").parquet(args.output)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
