import Foundation

/// The dependency order of the folders of `Sources/TextClf` and the check that the code keeps it.
///
/// Text → Data → Math → Layers → Model → Training / Inference: each folder uses only what it and
/// the folders before it declare, and Training and Inference do not use each other. The library
/// is one target, so the compiler does not enforce this; `FolderOrderTests` does, by reading the
/// sources.
///
/// The check is lexical. It collects the names each folder declares at the top level of its
/// files (types, type aliases, free functions and globals) and then looks at every identifier in
/// code (comments and string literals are skipped, interpolations are read): an identifier that
/// only a folder out of reach declares is a violation. A member access (`.name`) never refers to
/// a top-level name, except through the module (`TextClf.name`); and a lower-case name that a
/// folder within reach uses for a local, a parameter or a label is taken to be that one.
enum FolderOrder {
    static let folders = ["Text", "Data", "Math", "Layers", "Model", "Training", "Inference"]

    /// The folders `folder` may use: itself and those before it, but Training and Inference
    /// never each other.
    static func reachable(from folder: String) -> Set<String> {
        guard let index = folders.firstIndex(of: folder) else { return [] }
        var result = Set(folders[...index])
        if folder == "Inference" { result.remove("Training") }
        return result
    }

    struct SourceFile {
        let folder: String
        /// How a violation names the file.
        let path: String
        let text: String
    }

    struct Violation: CustomStringConvertible, Equatable {
        let path: String
        let line: Int
        let symbol: String
        let folder: String
        let declaredIn: [String]

        var description: String {
            "\(path):\(line): \(folder) uses `\(symbol)`, declared in \(declaredIn.joined(separator: ", ")), which \(folder) may not use"
        }
    }

    /// Every `.swift` file under `Sources/TextClf/<folder>/`, and the names of any directories
    /// there that are not one of `folders` or the `.docc` catalog (a folder outside the order is
    /// itself a fault).
    static func read(library: URL) throws -> (files: [SourceFile], unknownFolders: [String]) {
        let manager = FileManager.default
        let entries = try manager.contentsOfDirectory(atPath: library.path).sorted()
        var files: [SourceFile] = []
        for folder in entries where folders.contains(folder) {
            let root = library.appendingPathComponent(folder)
            let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                let relative = "Sources/TextClf/\(folder)" + url.path.dropFirst(root.path.count)
                files.append(SourceFile(folder: folder, path: relative, text: try String(contentsOf: url, encoding: .utf8)))
            }
        }
        // The documentation catalog holds no code.
        let unknown = entries.filter { !folders.contains($0) && !$0.hasSuffix(".docc") }
        return (files.sorted { $0.path < $1.path }, unknown)
    }

    /// The references in `files` to names that only folders out of reach declare.
    static func violations(in files: [SourceFile]) -> [Violation] {
        let scanned = files.map { ($0, Scan($0.text)) }
        var declaredBy: [String: Set<String>] = [:]
        var localNames: [String: Set<String>] = [:]
        for (file, scan) in scanned {
            for name in scan.topLevelDeclarations { declaredBy[name, default: []].insert(file.folder) }
            localNames[file.folder, default: []].formUnion(scan.localNames)
        }
        var result: [Violation] = []
        for (file, scan) in scanned {
            let reachable = reachable(from: file.folder)
            let localsInReach = reachable.reduce(into: Set<String>()) { $0.formUnion(localNames[$1] ?? []) }
            for reference in scan.references {
                guard let owners = declaredBy[reference.name], owners.isDisjoint(with: reachable) else { continue }
                if reference.name.first!.isLowercase && localsInReach.contains(reference.name) { continue }
                result.append(Violation(path: file.path, line: reference.line, symbol: reference.name, folder: file.folder,
                                        declaredIn: folders.filter(owners.contains)))
            }
        }
        return result
    }
}

/// One file read as Swift tokens, just far enough for `FolderOrder`.
private struct Scan {
    struct Reference {
        let name: String
        let line: Int
    }

    private(set) var topLevelDeclarations: Set<String> = []
    /// Names bound by `let`, `var`, `case` or used before a colon (parameters, labels).
    private(set) var localNames: Set<String> = []
    private(set) var references: [Reference] = []

    init(_ text: String) {
        let code = Self.codeOnly(Array(text.utf8))
        let lines = code.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let tokens = Self.tokens(Array(line))
            let startsAtColumnZero = line.first.map { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } ?? false
            if startsAtColumnZero, let name = Self.topLevelDeclaration(tokens) {
                topLevelDeclarations.insert(name)
            }
            for (position, token) in tokens.enumerated() where token.isIdentifier {
                let previous = position > 0 ? tokens[position - 1].text : ""
                let next = position + 1 < tokens.count ? tokens[position + 1].text : ""
                if ["let", "var", "case"].contains(previous) || next == ":" { localNames.insert(token.text) }
                let qualifiedByModule = position > 1 && tokens[position - 2].text == "TextClf"
                if previous == "." && !qualifiedByModule { continue }
                references.append(Reference(name: token.text, line: index + 1))
            }
        }
    }

    private struct Token {
        let text: String
        let isIdentifier: Bool
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    /// Identifiers, and every other non-space byte as a token of its own.
    private static func tokens(_ line: [UInt8]) -> [Token] {
        var result: [Token] = []
        var i = 0
        while i < line.count {
            let byte = line[i]
            if isIdentifierByte(byte) {
                let start = i
                while i < line.count && isIdentifierByte(line[i]) { i += 1 }
                let text = String(decoding: line[start..<i], as: UTF8.self)
                result.append(Token(text: text, isIdentifier: !(byte >= 0x30 && byte <= 0x39)))
            } else {
                if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
                    result.append(Token(text: String(UnicodeScalar(byte)), isIdentifier: false))
                }
                i += 1
            }
        }
        return result
    }

    private static let declarationKeywords: Set<String> = ["struct", "class", "enum", "protocol", "actor", "typealias", "func", "let", "var"]
    private static let modifiers: Set<String> = ["public", "package", "internal", "private", "fileprivate", "final", "nonisolated", "indirect"]

    /// The name that a line starting at column zero declares, after any attributes and
    /// modifiers, if it declares one.
    private static func topLevelDeclaration(_ tokens: [Token]) -> String? {
        var i = 0
        // Attributes: `@name` or `@name(…)`.
        while i + 1 < tokens.count && tokens[i].text == "@" {
            i += 2
            if i < tokens.count && tokens[i].text == "(" {
                var depth = 0
                repeat {
                    if tokens[i].text == "(" { depth += 1 } else if tokens[i].text == ")" { depth -= 1 }
                    i += 1
                } while depth > 0 && i < tokens.count
            }
        }
        while i < tokens.count && modifiers.contains(tokens[i].text) { i += 1 }
        guard i + 1 < tokens.count, declarationKeywords.contains(tokens[i].text), tokens[i + 1].isIdentifier else { return nil }
        return tokens[i + 1].text
    }

    /// `source` with comments and string literals blanked (newlines kept, so lines keep their
    /// numbers) but the code inside string interpolations kept.
    private static func codeOnly(_ source: [UInt8]) -> [UInt8] {
        enum Mode { case code, string(multiline: Bool), comment(depth: Int), lineComment }
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
        let star = UInt8(ascii: "*"), newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        var output = source
        // Open string literals, innermost last, each with the parenthesis depth of the
        // interpolation that contains it (strings nest through interpolations).
        var modes: [Mode] = [.code]
        var interpolationDepths: [Int] = []
        var parentheses = 0
        var i = 0
        func at(_ offset: Int, _ byte: UInt8) -> Bool { i + offset < source.count && source[i + offset] == byte }
        func blank(_ count: Int) {
            for k in i..<min(i + count, source.count) where source[k] != newline { output[k] = space }
            i += count
        }
        while i < source.count {
            switch modes.last! {
            case .code:
                if at(0, slash) && at(1, slash) {
                    modes.append(.lineComment); blank(2)
                } else if at(0, slash) && at(1, star) {
                    modes.append(.comment(depth: 1)); blank(2)
                } else if at(0, quote) && at(1, quote) && at(2, quote) {
                    modes.append(.string(multiline: true)); blank(3)
                } else if at(0, quote) {
                    modes.append(.string(multiline: false)); blank(1)
                } else {
                    if at(0, UInt8(ascii: "(")) { parentheses += 1 }
                    if at(0, UInt8(ascii: ")")) {
                        parentheses -= 1
                        if let depth = interpolationDepths.last, depth == parentheses {
                            // The interpolation ends: back into its string.
                            interpolationDepths.removeLast()
                            modes.removeLast()
                            blank(1)
                            continue
                        }
                    }
                    i += 1
                }
            case .lineComment:
                if at(0, newline) { modes.removeLast(); i += 1 } else { blank(1) }
            case .comment(let depth):
                if at(0, star) && at(1, slash) {
                    modes.removeLast()
                    if depth > 1 { modes.append(.comment(depth: depth - 1)) }
                    blank(2)
                } else if at(0, slash) && at(1, star) {
                    modes.removeLast(); modes.append(.comment(depth: depth + 1)); blank(2)
                } else {
                    blank(1)
                }
            case .string(let multiline):
                if at(0, backslash) && at(1, UInt8(ascii: "(")) {
                    interpolationDepths.append(parentheses)
                    parentheses += 1
                    modes.append(.code)
                    blank(2)
                } else if at(0, backslash) {
                    blank(2)
                } else if multiline ? (at(0, quote) && at(1, quote) && at(2, quote)) : at(0, quote) {
                    modes.removeLast(); blank(multiline ? 3 : 1)
                } else {
                    blank(1)
                }
            }
        }
        return output
    }
}
