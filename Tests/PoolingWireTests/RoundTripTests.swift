import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

@Suite struct RoundTripTests {
  /// Encoding a case and decoding it gives the same case, over 10,000 random cases.
  @Test(arguments: [3, 11, 2024, 8, 5] as [UInt64])
  func caseRoundTrip(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    var decoder = CaseDecoder()
    for i in 0..<2_000 {
      let c = RandomCase.make(&rng, index: i)
      let decoded = try decoder.decode(CaseEncoder.encode(c))
      #expect(decoded == c, "seed \(seed), case \(i)")
    }
  }

  /// The processor's JSON output equals the engine's result encoded, and is valid JSON that Foundation reads.
  @Test func processorMatchesEngine() throws {
    var rng = SplitMix64(seed: 77)
    var processor = CaseProcessor(rules: .zhengzhou2022)
    for i in 0..<500 {
      let c = RandomCase.make(&rng, index: i)
      var viaWire = JSONWriter()
      CaseEncoder.encode(c).withUnsafeBufferPointer { _ = processor.process($0, line: nil, to: &viaWire) }
      var direct = JSONWriter()
      CaseOutputEncoder.write(try RuleSet.zhengzhou2022.settle(c), to: &direct)
      #expect(viaWire.bytes == direct.bytes, "case \(i)")
      let object = try JSONSerialization.jsonObject(with: Data(viaWire.bytes)) as? [String: Any]
      #expect(object?["id"] as? String == c.id)
    }
  }

  @Test func writerEscapes() throws {
    var w = JSONWriter()
    w.beginObject()
    w.key("s"); w.string("a\"b\\c\n\t\u{01}é中😀/")
    w.endObject()
    #expect(String(decoding: w.bytes, as: UTF8.self) == "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001é中😀/\"}")
    let back = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: String]
    #expect(back?["s"] == "a\"b\\c\n\t\u{01}é中😀/")
  }

  @Test func prettyWriterShape() {
    var w = JSONWriter(pretty: true)
    w.beginObject()
    w.key("a"); w.beginArray(); w.endArray()
    w.key("b"); w.beginArray(); w.integer(1); w.integer(-2); w.endArray()
    w.endObject()
    #expect(String(decoding: w.bytes, as: UTF8.self) == "{\n  \"a\": [],\n  \"b\": [\n    1,\n    -2\n  ]\n}")
  }
}

@Suite struct RuleFileTests {
  static let fixture: [UInt8] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/rules/zhengzhou-2022.json")
    return Array(try! Data(contentsOf: url))
  }()

  @Test func fixtureEqualsBuiltIn() throws {
    #expect(try RuleSetCoding.decode(Self.fixture) == RuleSet.zhengzhou2022)
    #expect(RuleSetCoding.encode(.zhengzhou2022) == Self.fixture)
  }

  /// Edits the fixture's JSON object and returns the rule error.
  func error(_ edit: (inout [String: Any]) -> Void) -> InputError? {
    var object = try! JSONSerialization.jsonObject(with: Data(Self.fixture)) as! [String: Any]
    edit(&object)
    let bytes = Array(try! JSONSerialization.data(withJSONObject: object))
    do { _ = try RuleSetCoding.decode(bytes); return nil } catch { return error }
  }

  @Test func unknownKey() {
    let e = error { $0["deductibles"] = 1 }
    #expect(e?.code == .invalidRules && e?.path == "deductibles")
  }

  @Test func missingKey() {
    let e = error { $0.removeValue(forKey: "fundMonitoring") }
    #expect(e?.code == .invalidRules && e?.path == "fundMonitoring")
  }

  @Test func ratioOverOneAfterUplift() {
    let e = error {
      var ratio = $0["ratio"] as! [String: Any]
      var local = ratio["local"] as! [String: Any]
      local["community"] = "0.95"  // 0.95 + 0.10 > 1
      ratio["local"] = local
      $0["ratio"] = ratio
    }
    #expect(e?.code == .invalidRules && e?.path == "ratio.local.community")
  }

  @Test func tierMissing() {
    let e = error {
      var ratio = $0["ratio"] as! [String: Any]
      var offsite = ratio["offsite"] as! [String: Any]
      offsite.removeValue(forKey: "primary")
      ratio["offsite"] = offsite
      $0["ratio"] = ratio
    }
    #expect(e?.code == .invalidRules && e?.path == "ratio.offsite.primary")
  }

  @Test func badDateAndBadYear() {
    #expect(error { $0["effectiveFrom"] = "2022-02-30" }?.path == "effectiveFrom")
    let e = error {
      var cap = $0["annualCap"] as! [String: Any]
      cap["byYear"] = ["22": ["inService": "1.00", "retired": "1.00"]]
      $0["annualCap"] = cap
    }
    #expect(e?.path == "annualCap.byYear.22")
  }

  @Test func notJSONAndWrongSchema() {
    do { _ = try RuleSetCoding.decode(Array("{".utf8)); Issue.record("accepted") } catch {
      #expect(error.code == .invalidRules)
    }
    #expect(error { $0["schema"] = "outpatient-pooling/rules@3" }?.path == "schema")
    // A rules@1 body under the rules@2 schema: rules@2 has no deductible.perVisit.
    #expect(error { $0["schema"] = "outpatient-pooling/rules@2" }?.path == "deductible.perVisit")
  }
}
