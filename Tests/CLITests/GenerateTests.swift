import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import PoolingWire
import PoolingTestSupport
import Testing

@Suite struct GenerateTests {
  @Test func deterministicAndSeeded() {
    let a = run(["generate", "--cases", "200", "--seed", "5"]).stdout
    #expect(a == run(["generate", "--cases", "200", "--seed", "5"]).stdout)
    #expect(a != run(["generate", "--cases", "200", "--seed", "6"]).stdout)
    #expect(a.split(separator: "\n").count == 200)
  }

  /// Every generated line is a valid case, and the corpus reaches every reason, tier, location and status
  /// (with dates from before the rules took effect, asked for with `from`).
  @Test func validAndCovering() {
    var generator = CaseGenerator(seed: 1, rules: .zhengzhou2022, from: CivilDate(year: 2022, month: 1, day: 1)!)
    var decoder = CaseDecoder()
    var reasons = Set<Reason>(), tiers = Set<Tier>(), statuses = Set<Status>(), locations = Set<Location>()
    var sameDaySameInstitution = 0
    var bookings = Set<Ledger.Booking>(), borneEarlierThatDay = 0
    for _ in 0..<5_000 {
      let c = generator.next()
      let bytes = CaseEncoder.encode(c)
      guard let decoded = try? decoder.decode(bytes), let outcome = try? RuleSet.zhengzhou2022.settle(decoded) else {
        Issue.record("invalid generated case \(String(decoding: bytes, as: UTF8.self))")
        continue
      }
      #expect(decoded == c)
      for (s, pair) in zip(outcome.settlements, zip(c.visits, c.visits.dropFirst() + [c.visits[0]])) {
        reasons.formUnion(s.reasons)
        bookings.insert(s.figures.booking)
        if s.figures.deductibleAlreadyBorne > .zero { borneEarlierThatDay += 1 }
        statuses.insert(s.status)
        locations.insert(s.location)
        tiers.insert(pair.0.institution.tier)
        if pair.0.date == pair.1.date && pair.0.institution.id == pair.1.institution.id && pair.0.id != pair.1.id {
          sameDaySameInstitution += 1
        }
      }
    }
    #expect(reasons == Set(Reason.allCases))
    #expect(tiers == Set(Tier.allCases) && statuses == Set(Status.allCases) && locations == Set(Location.allCases))
    #expect(sameDaySameInstitution > 100)
    // Late claims against a ledger already in the next year, ledgers rolling forward, and day entries from
    // the stored ledger all occur.
    #expect(bookings == [.thisYear, .previousYear, .rollForward])
    #expect(borneEarlierThatDay > 100)
  }

  /// Given a city's rule file, the corpus exercises its structures: the contract bonus and the annual deductible.
  @Test func exercisesRules2Files() throws {
    for (name, check) in [("jiaozuo.json", "contractBonus"), ("beijing.json", "perYear")] {
      let rules = fixtures.appendingPathComponent("rules/\(name)").path
      let cases = run(["generate", "--cases", "2000", "--seed", "4", "--rules", rules]).stdout
      let out = run(["batch", "--rules", rules, "--explain"], stdin: cases)
      #expect(out.status == .success, "\(name): \(out.stderr)")
      #expect(out.stdout.components(separatedBy: check).count > 50, "\(name)")
    }
  }

  /// Rules that take effect at either end of the calendar still generate valid cases (a crash before).
  @Test(arguments: ["0001-01-01", "0002-06-30", "9998-12-31", "9999-03-01"])
  func calendarEnds(_ effectiveFrom: String) throws {
    var rules = RuleSet.zhengzhou2022
    rules.effectiveFrom = try #require(Array(effectiveFrom.utf8).withUnsafeBufferPointer { ScalarText.date($0) })
    var generator = CaseGenerator(seed: 3, rules: rules)
    var decoder = CaseDecoder()
    for _ in 0..<500 {
      let c = generator.next()
      let decoded = try decoder.decode(CaseEncoder.encode(c))
      _ = try RuleBook.single(rules).settle(decoded)
    }
  }

  /// By default every visit falls inside the rules' period: from the day they take effect to the end of
  /// the second year after; `--from`/`--to` move the window, both ends included.
  @Test func datesInsideTheRulesPeriodUnlessAsked() throws {
    func visitDates(_ arguments: [String]) throws -> [String] {
      let r = run(["generate", "--cases", "3000", "--seed", "8"] + arguments)
      #expect(r.status == .success, "\(r.stderr)")
      return jsonLines(r.stdout).flatMap { ($0["visits"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String } }
    }
    let byDefault = try visitDates([])
    #expect(byDefault.min()! >= "2022-07-01" && byDefault.max()! <= "2024-12-31")
    #expect(byDefault.contains { $0.hasPrefix("2022-07") } && byDefault.contains { $0.hasPrefix("2024-12") })
    let settled = run(["batch"], stdin: run(["generate", "--cases", "3000", "--seed", "8"]).stdout).stdout
    #expect(!settled.contains("beforeEffectiveDate"))
    let window = try visitDates(["--from", "2023-03-01", "--to", "2023-03-31"])
    #expect(window.allSatisfy { $0.hasPrefix("2023-03-") } && Set(window).count == 31)
    let early = run(["batch"], stdin: run(["generate", "--cases", "3000", "--seed", "8", "--from", "2022-01-01"]).stdout).stdout
    #expect(early.contains("beforeEffectiveDate"))
    #expect(run(["generate", "--cases", "1", "--from", "2023-02-30"]).status == .usage)
    #expect(run(["generate", "--cases", "1", "--from", "2023-03-02", "--to", "2023-03-01"]).status == .usage)
  }

  @Test func badArguments() {
    #expect(run(["generate"]).status == .usage)
    #expect(run(["generate", "--cases", "-1"]).status == .usage)
    #expect(run(["generate", "--cases", "3", "--seed", "x"]).status == .usage)
  }
}
