import ArgumentParser
import Foundation
import SwitchboardApp
import SwitchboardCore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate gateway.json and the provider catalogs; list every problem with its JSON path.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        do {
            let loaded = try GatewayConfiguration.load(path: options.config, providersDirectory: options.providers)
            let table = loaded.table
            print("\(options.config): ok — \(table.accounts.count) accounts, \(table.routes.count) routes, providers: \(loaded.catalogs.keys.sorted().joined(separator: ", "))")
        } catch {
            for problem in error.problems { printError(problem.description) }
            printError("\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
