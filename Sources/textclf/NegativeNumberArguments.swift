/// swift-argument-parser reads an argument that starts with `-` as an option, so `--lr -1` ended
/// with "Missing value for '--lr'" and never reached the range check. Joining a long option
/// with a negative number after it (`--lr=-1`) hands the number to every numeric option, whose
/// validation then names the option and the allowed range.
enum NegativeNumberArguments {
    /// `arguments` with each `--option NEGATIVE_NUMBER` pair written as `--option=NEGATIVE_NUMBER`,
    /// up to a `--` that ends the options.
    static func joined(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if index + 1 < arguments.count, isLongOptionWithoutValue(argument), isNegativeNumber(arguments[index + 1]) {
                result.append(argument + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    private static func isLongOptionWithoutValue(_ argument: String) -> Bool {
        argument.hasPrefix("--") && argument.count > 2 && !argument.contains("=")
    }

    private static func isNegativeNumber(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument.count > 1 && Double(argument) != nil
    }
}
