/// The nearest of `candidates` to `word`, when it is close enough to be a likely typo: an edit distance of
/// at most 2 (or a difference of letter case only). Used to say "did you mean …" for unknown fields, verbs
/// and options.
package func nearest(_ word: String, among candidates: [String]) -> String? {
  let length = word.utf8.count
  guard length <= 64 else { return nil }  // no name is that long; never spend time on crafted keys
  var best: (name: String, distance: Int)?
  for c in candidates where abs(c.utf8.count - length) <= 2 {
    let d = c.lowercased() == word.lowercased() ? 0 : editDistance(Array(word.utf8), Array(c.utf8))
    if d <= 2, d < (best?.distance ?? .max) { best = (c, d) }
  }
  return best?.name
}

/// Levenshtein distance over bytes.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
