import Foundation
import OutpatientPoolingC
import PoolingTestSupport
import Testing

/// The C entry points under mutated input: every call answers (no crash, no NULL for non-NULL arguments),
/// `op_result_ok` agrees with the error code, and the answer is JSON that Foundation reads.
@Suite(.slow) struct CABIFuzzTests {
  func call(_ body: () -> OpaquePointer?) -> (ok: Bool, code: String?, json: String)? {
    guard let r = body() else { return nil }
    defer { op_result_free(r) }
    var length = 0
    let json = op_result_json(r, &length).map { String(cString: $0) } ?? "<nil>"
    Self.expectPartsMatch(r, json)
    return (op_result_ok(r) == 1, op_result_error_code(r).map { String(cString: $0) }, json)
  }

  /// Every top-level member of the answer, read by `op_result_part`, is the same JSON value Foundation reads
  /// there; a name the answer lacks gives NULL and length 0.
  static func expectPartsMatch(_ r: OpaquePointer, _ json: String) {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return }
    for (name, value) in object {
      var length = -1
      guard let part = op_result_part(r, name, &length) else {
        Issue.record("no part \(name) in \(json)")
        continue
      }
      let text = Data(UnsafeRawBufferPointer(start: part, count: length))
      let read = try? JSONSerialization.jsonObject(with: text, options: .fragmentsAllowed)
      #expect(read.map { NSDictionary(dictionary: ["v": $0]) } == NSDictionary(dictionary: ["v": value]), "\(name) in \(json)")
    }
    var length = -1
    #expect(op_result_part(r, "noSuchPart", &length) == nil && length == 0)
  }

  /// Parts found in answers whose ids hold the characters a naive cut would split at.
  @Test func partsSurviveIdsWithBracesQuotesAndCommas() throws {
    let engine = try #require("zhengzhou-2022".withCString { op_engine_create($0, 14, nil) })
    defer { op_engine_free(engine) }
    let id = #"V\"},\"ledger\":{\"x\":[1,2]}"#
    let input = Array(
      (#"{"id":"C}\",","member":{"id":"M{\"","employment":"employee"},"visits":[{"id":""#
        + id
        + #"","date":"2023-05-12","institution":{"id":"H,]","location":"local","tier":"secondary"},"total":"100.00","inScope":"90.00"}]}"#)
        .utf8)
    let r = try #require(input.withUnsafeBytes { op_settle_case(engine, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count, 0) })
    defer { op_result_free(r) }
    let json = String(cString: try #require(op_result_json(r, nil)))
    #expect(op_result_ok(r) == 1, "\(json)")
    Self.expectPartsMatch(r, json)
    var length = 0
    let ledger = try #require(op_result_part(r, "ledger", &length))
    let text = String(decoding: UnsafeRawBufferPointer(start: ledger, count: length), as: UTF8.self)
    #expect(text.hasPrefix(#"{"year":2023"#) && text.hasSuffix("}") && json.hasSuffix(text + "}"))
  }

  func consistent(_ answer: (ok: Bool, code: String?, json: String)?, _ input: [UInt8]) {
    guard let answer else { Issue.record("NULL result for \(String(decoding: input, as: UTF8.self))"); return }
    #expect(answer.ok == (answer.code == nil))
    #expect((try? JSONSerialization.jsonObject(with: Data(answer.json.utf8))) != nil, "\(answer.json)")
  }

  @Test func settleCaseAndVisitNeverCrash() throws {
    let engine = try #require("zhengzhou-2022".withCString { op_engine_create($0, 14, nil) })
    defer { op_engine_free(engine) }
    var mutator = Mutator(rng: SplitMix64(seed: 7_777), corpus: FuzzCorpus.cases())
    for _ in 0..<3_000 {
      let input = mutator.next()
      let answer = call {
        input.withUnsafeBytes { op_settle_case(engine, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count, 3) }
      }
      consistent(answer, input)
    }
    let member = Array(#"{"id":"M","employment":"employee"}"#.utf8)
    let ledger = Array(#"{"year":2023,"poolingPaid":"10.00","accountBalance":"5.00"}"#.utf8)
    let visit = Array(
      #"{"id":"V","date":"2023-05-12","institution":{"id":"H","location":"local","tier":"secondary"},"total":"100.00","inScope":"90.00"}"#
        .utf8)
    var parts = Mutator(rng: SplitMix64(seed: 8_888), corpus: [member, ledger, visit])
    for i in 0..<3_000 {
      var m = member, l = ledger, v = visit
      switch i % 3 {
      case 0: parts.mutate(&m)
      case 1: parts.mutate(&l)
      default: parts.mutate(&v)
      }
      let answer = call {
        m.withUnsafeBytes { mb in
          l.withUnsafeBytes { lb in
            v.withUnsafeBytes { vb in
              op_settle_visit(
                engine, mb.baseAddress?.assumingMemoryBound(to: CChar.self), mb.count,
                lb.baseAddress?.assumingMemoryBound(to: CChar.self), lb.count,
                vb.baseAddress?.assumingMemoryBound(to: CChar.self), vb.count, 4)
            }
          }
        }
      }
      consistent(answer, m + l + v)
    }
    // Injection: a member text that would close the member object early is one JSON value plus garbage,
    // so it is refused as malformed rather than read as a different case.
    let injected = Array(#"{"id":"M","employment":"employee"},"visits":[]"#.utf8)
    let answer = try #require(
      call {
        injected.withUnsafeBytes { mb in
          visit.withUnsafeBytes { vb in
            op_settle_visit(
              engine, mb.baseAddress?.assumingMemoryBound(to: CChar.self), mb.count, nil, 0,
              vb.baseAddress?.assumingMemoryBound(to: CChar.self), vb.count, 0)
          }
        }
      })
    #expect(answer.code == "malformedJSON")
  }
}
