import Foundation
import PoolingCLI
import Testing

/// The examples in Docs/ are run, so they cannot rot.
@Suite struct DocsTests {
  /// Docs/errors.md: each ```json input block followed by → and an output block; the input given to `batch`
  /// must yield the documented code and path.
  @Test func errorExamplesAreReal() throws {
    let text = try String(contentsOf: fixtures.deletingLastPathComponent().appendingPathComponent("Docs/errors.md"), encoding: .utf8)
    let blocks = text.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
    var checked = 0
    var i = 0
    while i + 1 < blocks.count {
      let input = blocks[i], expected = blocks[i + 1]
      guard let want = (try? JSONSerialization.jsonObject(with: Data(expected.utf8))) as? [String: Any],
            let wantError = want["error"] as? [String: Any], input.hasPrefix("{") else { i += 1; continue }
      let got = jsonLines(run(["batch"], stdin: input + "\n").stdout).first?["error"] as? [String: Any]
      #expect(got?["code"] as? String == wantError["code"] as? String, "\(input)")
      #expect(got?["path"] as? String == wantError["path"] as? String, "\(input)")
      checked += 1
      i += 2
    }
    #expect(checked >= 13)
  }
}
