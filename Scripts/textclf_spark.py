"""Runs `textclf classify` as a Unix filter inside Spark tasks.

Shared by spark_classify.py (RDD of lines) and spark_dataframe.py (DataFrame column). The
driver ships the static textclf binary and the model with `SparkContext.addFile`; each task
finds its copies with `SparkFiles.get`, which only gives the right absolute path on the
executor that runs the task. That is why the pipe is started here, inside the partition:
`RDD.pipe` fixes its command on the driver, where `SparkFiles.get` names the driver's copy.
The process is run the way `RDD.pipe(command, env=ENV, checkCode=True)` runs it (argument
list, explicit environment, a writer thread, the exit status checked), and also counts lines
in and out and keeps textclf's error message, which `RDD.pipe` drops.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections import deque

# The whole environment textclf gets: it needs none (ICU's data is in the binary), so
# nothing from the executor's environment can change its output.
TEXTCLF_ENV = {"LC_ALL": "C"}

# Where Scripts/build_static.sh puts the binary for executors.
DEFAULT_BINARY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                               ".build-static", "release", "textclf"))

# Marks a task failure's message so the driver can find it in Spark's Java exception text.
FAILURE_TAG = "TEXTCLF-TASK-FAILED"


class TaskFailure(RuntimeError):
    """A partition could not be classified; the message is one line for the user."""

    def __init__(self, message):
        super().__init__(f"{FAILURE_TAG}[{message}]")


def error_exit(program, message):
    """Prints the one error line of a script and exits 1."""
    print(f"{program}: error: {message}", file=sys.stderr)
    sys.exit(1)


def check_local_inputs(program, binary, model):
    """The driver-side checks: both files exist, and the binary can be executed."""
    if not os.path.isfile(binary):
        error_exit(program, f"{binary}: no textclf binary there; build it with `bash Scripts/build_static.sh`")
    if not os.access(binary, os.X_OK):
        error_exit(program, f"{binary}: not executable")
    if not os.path.isfile(model):
        error_exit(program, f"{model}: no such model file")


def start_spark(app_name, master, binary, model, spark_log):
    """A SparkSession with the binary, the model and this module shipped to every executor,
    and the path of the file that holds the console output of Spark's JVM.

    The driver's JVM (and, in local mode, the Python workers it starts) write to that file
    rather than to the terminal, at log4j level `spark_log`, so that a failure stays the
    scripts' one line. Executors on a cluster log as the cluster is set up to.
    """
    # Python workers must be this interpreter: pandas and pyarrow are here, and its version
    # must match the driver's.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    local = master.startswith("local")
    if local:
        # Nothing leaves the machine: the driver binds to the loopback interface only.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    log_fd, log_path = tempfile.mkstemp(prefix="textclf-spark-", suffix=".log")
    config_fd, config_path = tempfile.mkstemp(prefix="textclf-log4j2-", suffix=".properties")
    with os.fdopen(config_fd, "w") as config:
        config.write(
            f"rootLogger.level = {spark_log}\n"
            "rootLogger.appenderRef.console.ref = console\n"
            "appender.console.type = Console\n"
            "appender.console.name = console\n"
            "appender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\n"
            "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
        )
    from pyspark.sql import SparkSession

    java_options = f"-Dlog4j.configurationFile=file:{config_path}"
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if local:
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    # The JVM inherits standard error when it starts: point it at the log file meanwhile.
    saved_stderr = os.dup(2)
    os.dup2(log_fd, 2)
    try:
        spark = builder.getOrCreate()
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(log_fd)
        os.remove(config_path)  # read once, when the JVM started
    spark.sparkContext.setLogLevel(spark_log)
    spark.sparkContext.addFile(os.path.abspath(binary))
    spark.sparkContext.addFile(os.path.abspath(model))
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    return spark, log_path


def output_exists(spark, path):
    """Whether `path` exists, on whatever file system Hadoop's configuration maps it to."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    file_system = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return file_system.exists(hadoop_path)


def remove_output(spark, path):
    """Removes what a failed job left at `path` (which did not exist before it started)."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(hadoop_path, True)


def failure_message(exception):
    """The one line for a failed job: the task's own message, else the Java exception's."""
    text = str(exception)
    found = re.search(re.escape(FAILURE_TAG) + r"\[(.*)\]$", text, re.MULTILINE)
    if found:
        return found.group(1)
    # Py4J's text holds Java's stack trace; the innermost cause says what went wrong.
    causes = re.findall(r"^(?:: |Caused by: )[\w.$]+(?:Exception|Error): (.+)$", text, re.MULTILINE)
    if causes:
        return causes[-1]
    return text.strip().splitlines()[0] if text.strip() else type(exception).__name__


def job_arguments(program, description, input_help, output_help):
    """The options both scripts take: IN OUT -m MODEL [--master] [--partitions] [--binary] [--spark-log]."""
    parser = argparse.ArgumentParser(prog=program, description=description)
    parser.add_argument("input", metavar="IN", help=input_help)
    parser.add_argument("output", metavar="OUT", help=output_help + "; must not exist")
    parser.add_argument("-m", "--model", required=True, help="textclf model file")
    parser.add_argument("--master", default="local[*]", help="Spark master (default: local[*])")
    parser.add_argument("--partitions", type=int, help="number of partitions (default: one per input split)")
    parser.add_argument("--binary", default=DEFAULT_BINARY, help="textclf binary for the executors (default: the static build)")
    parser.add_argument("--spark-log", default="OFF", metavar="LEVEL",
                        help="log4j level of Spark's log, which goes to a temporary file kept when the job fails (default: OFF)")
    return parser


def check_partitions(parser, arguments):
    """A usage error (exit 2) unless --partitions is absent or positive."""
    if arguments.partitions is not None and arguments.partitions < 1:
        parser.error("--partitions must be at least 1")


def run_job(program, arguments, write_output):
    """Checks the inputs, starts Spark, calls `write_output(spark)` to write the new output
    directory, and stops Spark. Any failure is one line and exit status 1, with the partial
    output removed and Spark's log kept."""
    check_local_inputs(program, arguments.binary, arguments.model)
    spark, log_path = start_spark(program, arguments.master, arguments.binary, arguments.model, arguments.spark_log)
    failure, keep_log = None, False
    try:
        if output_exists(spark, arguments.output):
            failure = f"{arguments.output}: the output directory already exists"
        else:
            try:
                write_output(spark)
            except Exception as exception:  # Spark wraps task failures in Py4J and PySpark exceptions
                remove_output(spark, arguments.output)
                failure = failure_message(exception)
                # textclf's own message says it all; anything else may need Spark's log.
                keep_log = FAILURE_TAG not in str(exception)
                if keep_log:
                    failure += f" (Spark's log: {log_path})"
    finally:
        spark.stop()
    if not failure:
        report_textclf_warnings(log_path)
    if not keep_log:
        os.remove(log_path)
    if failure:
        error_exit(program, failure)


def report_textclf_warnings(log_path):
    """Repeats textclf's warnings (invalid UTF-8, long lines) from the log on standard error:
    in local mode the tasks write them there, with Spark's output."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if line.startswith("textclf: warning: "):
                print(line, end="", file=sys.stderr)


class TextclfProcess:
    """One `textclf classify` process for one Spark task, with the executor's copies of the
    binary and the model (absolute paths from `SparkFiles.get`)."""

    def __init__(self, binary_name, model_name, options):
        from pyspark import SparkFiles, TaskContext

        context = TaskContext.get()
        self.partition = context.partitionId() if context else 0
        # One Spark task holds spark.task.cpus cores: as many threads, so tasks never
        # oversubscribe an executor.
        threads = context.cpus() if context else 1
        command = [SparkFiles.get(binary_name), "classify", "-m", SparkFiles.get(model_name),
                   "--threads", str(threads)] + list(options)
        self.process = subprocess.Popen(command, env=TEXTCLF_ENV, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages = deque(maxlen=5)
        self.stderr_reader = threading.Thread(target=self._read_messages, daemon=True)
        self.stderr_reader.start()
        self.write_error = None

    def _read_messages(self):
        # Warnings reach the executor's log; the last lines are kept for an error report.
        for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.messages.append(line)
            print(line, file=sys.stderr)

    def write_lines(self, lines):
        """Writes each text (str, or bytes in UTF-8) as one line and returns how many were
        written, fewer when textclf stopped reading (its exit status then says why). A line
        break inside a text would make two lines of one, so it is a task failure."""
        count = 0
        try:
            for text in lines:
                encoded = text if isinstance(text, bytes) else text.encode("utf-8")
                if b"\n" in encoded or b"\r" in encoded:
                    raise TaskFailure(f"partition {self.partition}: a text holds a line break; replace line breaks first")
                self.process.stdin.write(encoded + b"\n")
                count += 1
        except BrokenPipeError:
            pass
        return count

    def close_input(self):
        """Ends textclf's input, so it classifies what it holds and exits."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass

    def fail(self, problem):
        """Raises a `TaskFailure` naming the partition, the problem and textclf's last message."""
        last = next((line for line in reversed(self.messages) if line.startswith("textclf: error:")),
                    self.messages[-1] if self.messages else "")
        raise TaskFailure(f"partition {self.partition}: {problem}" + (f": {last}" if last else ""))

    def finish(self):
        """Waits for textclf; a non-zero exit status is a task failure (checkCode=True)."""
        status = self.process.wait()
        self.stderr_reader.join()
        if status != 0:
            self.fail(f"textclf exited with status {status}")


def pipe_partition(lines, binary_name, model_name, options):
    """Classifies one partition's lines with one textclf process: one result line per input
    line, in order, as UTF-8 bytes without the newline (what `saveAsTextFile` writes as they
    are), or a `TaskFailure` when textclf fails or the counts differ."""
    textclf = TextclfProcess(binary_name, model_name, options)
    written = []

    def feed():
        try:
            written.append(textclf.write_lines(lines))
            textclf.close_input()
        except TaskFailure as failure:
            textclf.write_error = failure
            textclf.process.kill()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    produced = 0
    for raw in textclf.process.stdout:
        produced += 1
        yield raw[:-1] if raw.endswith(b"\n") else raw
    writer.join()
    if textclf.write_error:
        raise textclf.write_error
    textclf.finish()
    if produced != written[0]:
        textclf.fail(f"{written[0]} lines in, {produced} lines out")
