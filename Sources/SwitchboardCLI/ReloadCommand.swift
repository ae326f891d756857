#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import SwitchboardApp

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Check gateway.json, then tell the running gateway (named by $.server.pidFile) to reload it (SIGHUP).")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        // The gateway checks the file again itself; checking here first lets the operator see the problems.
        let loaded = try options.load()
        guard let pidFile = loaded.server.pidFile else {
            printError("\(options.config): $.server.pidFile: not set, so there is no way to find the running gateway")
            throw ExitCode(1)
        }
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            printError("\(pidFile) ($.server.pidFile): no readable pid file; is the gateway running?")
            throw ExitCode(1)
        }
        guard kill(pid, SIGHUP) == 0 else {
            let reason = errno == ESRCH ? "no such process (a stale pid file?)" : String(cString: strerror(errno))
            printError("\(pidFile) ($.server.pidFile): cannot signal process \(pid): \(reason)")
            throw ExitCode(1)
        }
        print("\(options.config): ok; sent SIGHUP to process \(pid); its log says what changed")
    }
}
