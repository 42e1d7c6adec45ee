#!/usr/bin/env python3
"""Classifies a DataFrame's text column on Apache Spark with textclf: the recipe for users who
hold a DataFrame rather than a text file.

    spark_dataframe.py IN OUT -m MODEL [--master local[*]] [--partitions N] [--binary PATH]

As a script it reads IN as text lines (one text per line), classifies them with
`classify_texts` and writes OUT as Parquet with the typed columns label (string),
probability (double) and text (string); a line without any token has a null label and
probability. As a recipe, copy `classify_texts` and `classify_batches`: `mapInPandas` calls
`classify_batches` once per task with an iterator over that task's Arrow batches, and it
starts one textclf process for all of them, so a task pays the model's loading once.
"""

import os
import queue
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textclf_spark  # noqa: E402

PROGRAM = "spark_dataframe.py"
RESULT_SCHEMA = "label string, probability double, text string"


def classify_batches(batches, column, binary_name, model_name):
    """mapInPandas' function: one textclf process for a task's batches, one result row per row.

    A writer thread feeds the texts (line breaks made spaces, nulls made empty) while this
    generator reads the answers back, batch by batch, so neither side waits on a full pipe.
    """
    import pandas as pd

    textclf = textclf_spark.TextclfProcess(binary_name, model_name, ["--no-text", "--k", "1"])
    written = queue.Queue()  # each batch's texts once they are on their way, then None

    def feed():
        try:
            for batch in batches:
                texts = batch[column].fillna("").astype(str)
                written.put(texts)
                sent = texts.str.replace(r"[\r\n]+", " ", regex=True)
                if textclf.write_lines(sent) < len(sent):
                    break
            textclf.close_input()
        except BaseException as error:  # reported by the reading side
            textclf.write_error = error
            textclf.process.kill()
        written.put(None)

    threading.Thread(target=feed, daemon=True).start()
    stdout = textclf.process.stdout
    while (texts := written.get()) is not None:
        labels, probabilities = [], []
        for _ in range(len(texts)):
            raw = stdout.readline()
            if not raw:
                break
            label, probability = raw.decode("utf-8").rstrip("\n").split("\t")[:2]
            labels.append(label or None)
            probabilities.append(float(probability) if probability else None)
        if len(labels) < len(texts):
            if textclf.write_error:
                raise textclf.write_error
            textclf.finish()
            textclf.fail(f"{len(texts)} lines in, {len(labels)} lines out")
        yield pd.DataFrame({"label": pd.Series(labels, dtype="string"),
                            "probability": pd.Series(probabilities, dtype="float64"),
                            "text": texts.reset_index(drop=True)})
    if textclf.write_error:
        raise textclf.write_error
    if stdout.readline():
        textclf.fail("more lines out than in")
    textclf.finish()


def classify_texts(frame, column, binary_name, model_name):
    """A DataFrame of label, probability and text: one row for each row of `frame`, in the same
    partitions, classifying the texts in its column `column`. The binary and the model must
    have been shipped with `SparkContext.addFile`, and textclf_spark.py and this file with
    `addPyFile`, unless this runs as a script."""
    return frame.select(column).mapInPandas(
        lambda batches: classify_batches(batches, column, binary_name, model_name), RESULT_SCHEMA)


def classify_text_file(spark, arguments):
    """Writes OUT as Parquet: IN's lines as a DataFrame's text column, classified."""
    if arguments.partitions is not None:
        spark.conf.set("spark.sql.files.minPartitionNum", str(arguments.partitions))
    frame = spark.read.text(arguments.input).withColumnRenamed("value", "text")
    if arguments.partitions is not None and frame.rdd.getNumPartitions() > arguments.partitions:
        frame = frame.coalesce(arguments.partitions)
    binary_name, model_name = os.path.basename(arguments.binary), os.path.basename(arguments.model)
    classify_texts(frame, "text", binary_name, model_name).write.parquet(arguments.output)


if __name__ == "__main__":
    parser = textclf_spark.job_arguments(PROGRAM, "Classify a text file as a DataFrame with textclf; write Parquet.",
                                         "text file; one text per line", "Parquet output directory")
    arguments = parser.parse_args()
    textclf_spark.check_partitions(parser, arguments)
    textclf_spark.run_job(PROGRAM, arguments, lambda spark: classify_text_file(spark, arguments))
