import Dispatch
import Foundation
import TextClf

/// Ctrl-C and SIGTERM during training: the first asks training to stop at the next batch
/// boundary (saving a checkpoint when there is a directory for one); a second ends the process
/// at once, as the default action would.
enum Interruption {
    /// Kept alive for the life of the process.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// A stop request that SIGINT and SIGTERM set from now on.
    static func stopRequestOnSignals() -> StopRequest {
        let stop = StopRequest()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                stop.request()
                signal(signalNumber, SIG_DFL)
            }
            source.resume()
            sources.append(source)
        }
        return stop
    }

    /// The exit status of a process ended by SIGINT, as shells report it.
    static let exitStatus: Int32 = 130

    /// Says in one line that training stopped on a request, over a live progress bar if any.
    static func report(checkpoint: String?) {
        let clear = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[2K" : ""
        if let checkpoint {
            Diagnostics.write(clear + "textclf: interrupted; the training state is saved in \(checkpoint); "
                              + "run the same command with --resume to continue")
        } else {
            Diagnostics.write(clear + "textclf: interrupted; nothing was saved "
                              + "(train with --checkpoint DIR to be able to resume with --resume)")
        }
    }
}
