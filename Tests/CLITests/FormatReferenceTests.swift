import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import PoolingWire
import Testing

/// `Docs/format.md`, the wire-format reference, against the product: its examples are run and must print
/// exactly what the page shows, and every field the readers accept or the writers write, every reason and
/// every error code appears on the page.
@Suite struct FormatReferenceTests {
  static let page = read(DocsTests.root.appendingPathComponent("Docs/format.md").path)

  /// The fenced blocks after each `<!-- run: VERB -->`: the verb, its input, the output shown.
  static var examples: [(verb: String, input: String, output: String)] {
    var out: [(String, String, String)] = []
    var rest = page[...]
    while let marker = rest.range(of: "<!-- run: ") {
      rest = rest[marker.upperBound...]
      let verb = String(rest.prefix { $0 != " " })
      var blocks: [String] = []
      while blocks.count < 2, let open = rest.range(of: "```") {
        let afterFence = rest[open.upperBound...].drop { $0 != "\n" }.dropFirst()
        guard let close = afterFence.range(of: "```") else { break }
        blocks.append(String(afterFence[..<close.lowerBound]))
        rest = afterFence[close.upperBound...]
      }
      if blocks.count == 2 { out.append((verb, blocks[0], blocks[1])) }
    }
    return out
  }

  @Test func examplesPrintWhatThePageShows() {
    let examples = Self.examples
    #expect(examples.count >= 3)
    #expect(Set(examples.map(\.verb)) == ["settle", "batch"])
    for example in examples {
      let r = run([example.verb], stdin: example.input)
      #expect(r.stdout == example.output, "\(example.verb) of\n\(example.input)\nprints\n\(r.stdout)")
    }
  }

  /// Each input field as the first cell of a table row: `| \`name\` |`.
  @Test func everyInputFieldIsDescribed() {
    func names<F: WireField>(_: F.Type) -> [String] { F.keys.names }
    let fields =
      names(CaseField.self) + names(MemberField.self) + names(VisitField.self) + names(InstitutionField.self)
      + names(LedgerField.self)
    #expect(fields.count > 30)
    for field in fields { #expect(Self.page.contains("| `\(field)` |"), "\(field)") }
    // The fields of the small objects, inside their field's description.
    for field in names(PeriodField.self) + names(RegistrationField.self) + names(FamilyDoctorField.self)
      + names(EntryField.self) + names(PreviousYearField.self) + names(DeductiblesTodayField.self)
    {
      #expect(Self.page.contains("\"\(field)\""), "\(field)")
    }
    #expect(misalignedFieldNames().isEmpty)  // and those names are the readers' own
  }

  /// Every key of every bundled expected output (cases of all cities, traces, errors) is on the page.
  @Test func everyOutputFieldIsDescribed() throws {
    var keys = Set<String>()
    func collect(_ value: Any) {
      if let object = value as? [String: Any] {
        for (key, inner) in object {
          keys.insert(key)
          collect(inner)
        }
      } else if let array = value as? [Any] {
        array.forEach(collect)
      }
    }
    let expected =
      fixtureFiles("golden/cases", suffix: ".expected.json") + fixtureFiles("cities", suffix: ".expected.json")
    #expect(expected.count > 20)
    for path in expected { collect(try JSONSerialization.jsonObject(with: Data(read(path).utf8))) }
    // And what only some rules write: traces, pooled pharmacy visits, a sub-cap, a yearly deductible, versions.
    for arguments in [
      ["settle", "--explain"],
      ["settle", "--rules", "rules/pharmacies-join-pooling.json", "commands/inputs/pharmacy-prescription.json"],
      ["settle", "--rules", "rules/pharmacy-subcap-1500.json", "commands/inputs/pharmacy-prescription.json"],
      ["settle", "--rules", "rules/beijing.json", "cities/beijing-annual-deductible.json"],
      ["settle", "--rules", "rules/zhengzhou-timeline.json", "golden/cases/basic-deductible-and-account.json"],
    ] {
      let paths = arguments.map { $0.hasSuffix(".json") ? fixtures.appendingPathComponent($0).path : $0 }
      let r = run(paths, stdin: oneCase)
      #expect(r.status == .success, "\(arguments): \(r.stdout)")
      collect(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)))
    }
    #expect(
      keys.isSuperset(of: [
        "trace", "deductibleAt", "error", "previousYear", "deductibleBasis", "pharmacyPooling", "rulesVersion",
        "pharmacyPoolingPaid", "deductibleBorne",
      ]))
    for key in keys { #expect(Self.page.contains("| `\(key)` |") || Self.page.contains("\"\(key)\""), "\(key)") }
  }

  @Test func everyReasonAndErrorCodeIsListed() {
    for reason in Reason.allCases { #expect(Self.page.contains("| `\(reason.rawValue)` |"), "\(reason)") }
    // The reasons table is in the order the output lists reasons in.
    let table = Self.page[Self.page.range(of: "### Reasons")!.upperBound...]
    let positions = Reason.allCases.map { table.range(of: "| `\($0.rawValue)` |")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    for code in InputError.Code.allCases { #expect(Self.page.contains("`\(code.rawValue)`"), "\(code)") }
    for status in ExitStatus.allCases.map(\.rawValue) where status < 128 { #expect(Self.page.contains("| \(status) |")) }
    #expect(Self.page.contains("| 129, 130, 143 |"))
  }
}
