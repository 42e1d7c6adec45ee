#!/usr/bin/env python3
"""Classifies a text file too large for one machine on Apache Spark.

    spark_classify.py IN OUT -m MODEL [--master local[*]] [--partitions N] [--binary PATH]
                      [--spark-log LEVEL] [-- CLASSIFY OPTIONS]

IN is read with `SparkContext.textFile` (a file, a directory or a glob, on any file system
Hadoop knows); OUT is a new directory of `part-NNNNN` files, which concatenated in name order
are what `textclf classify -m MODEL IN` prints. Options after `--` go to `textclf classify`
(e.g. `-- --k 2 --format jsonl`). The binary (default: the static build,
.build-static/release/textclf) and the model are shipped to the executors with `addFile`;
each task runs one textclf process over its partition and checks that as many lines came
out as went in. Any failure is one line, `spark_classify.py: error: ...`, and exit status 1;
the output directory is then removed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textclf_spark  # noqa: E402

PROGRAM = "spark_classify.py"


def parse_arguments():
    """The command line; options after `--` become `classify_options`."""
    parser = textclf_spark.job_arguments(PROGRAM, "Classify text lines on Spark with textclf.",
                                         "text file, directory or glob; one text per line",
                                         "output directory of part files")
    parser.usage = (f"{PROGRAM} IN OUT -m MODEL [--master M] [--partitions N] [--binary PATH] "
                    "[--spark-log LEVEL] [-- CLASSIFY OPTIONS]")
    # Everything after `--` belongs to textclf classify; argparse would mix it with IN and OUT.
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    arguments = parser.parse_args(argv[:split])
    arguments.classify_options = argv[split + 1:]
    textclf_spark.check_partitions(parser, arguments)
    return arguments


def classify_file(spark, arguments):
    """Writes OUT: IN's partitions in order, each piped through one textclf process."""
    # Lines stay UTF-8 bytes from the JVM to textclf and back: Python never decodes them.
    lines = spark.sparkContext.textFile(arguments.input, minPartitions=arguments.partitions, use_unicode=False)
    if arguments.partitions is not None and lines.getNumPartitions() > arguments.partitions:
        # coalesce without a shuffle merges neighbouring partitions: the order stays.
        lines = lines.coalesce(arguments.partitions)
    binary_name = os.path.basename(arguments.binary)
    model_name = os.path.basename(arguments.model)
    options = arguments.classify_options
    results = lines.mapPartitions(
        lambda partition: textclf_spark.pipe_partition(partition, binary_name, model_name, options))
    results.saveAsTextFile(arguments.output)


if __name__ == "__main__":
    arguments = parse_arguments()
    textclf_spark.run_job(PROGRAM, arguments, lambda spark: classify_file(spark, arguments))
