import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads gateway.json on SIGHUP, and keeps `server.pidFile` (which `switchboard reload` reads) while it listens.
struct ConfigReloadService: Service {
    let reloader: ConfigReloader
    let pidFile: String?
    let logger: Logger

    func run() async throws {
        // Trapped before the pid file names this process, so a reload that finds the file never kills it.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        if let pidFile { try Self.write(pidFile: pidFile) }
        defer { if let pidFile { Self.remove(pidFile: pidFile) } }
        for await _ in hangups.cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }

    static func write(pidFile: String) throws {
        let text = "\(ProcessInfo.processInfo.processIdentifier)\n"
        do {
            try text.write(toFile: pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw PidFileError(path: pidFile)
        }
    }

    /// Only if it still names this process: a newer instance may have taken it over.
    static func remove(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) == ProcessInfo.processInfo.processIdentifier else { return }
        try? FileManager.default.removeItem(atPath: pidFile)
    }
}

/// The pid file named in `server.pidFile` could not be written.
public struct PidFileError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) ($.server.pidFile): cannot write the pid file" }
}
