// Calling libOutpatientPoolingC.so from C# with P/Invoke (Debian: mono-mcs, mono-runtime).
//
//   mcs -out:/tmp/Settle.exe Docs/bindings/Settle.cs
//   LD_LIBRARY_PATH=.build/release mono /tmp/Settle.exe .build/release/libOutpatientPoolingC.so
//
// Mono resolves a DllImport name on its own search path, so the library's folder goes on LD_LIBRARY_PATH
// (or the .so beside Settle.exe); the path argument is loaded first to fail early with a clear message.
//
// Takes the library's path as its only argument; exits 0 only when its own checks pass.
// Strings are read as UTF-8 by hand: .NET Framework and older Mono lack Marshal.PtrToStringUTF8.
using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

static class Native {
  // DllImport takes a constant name; the runtime finds libOutpatientPoolingC.so on its search path.
  const string Lib = "OutpatientPoolingC";
  [DllImport(Lib)] public static extern IntPtr op_version();
  [DllImport(Lib)] public static extern int op_abi_version();
  [DllImport(Lib)] public static extern IntPtr op_engine_create(byte[] rules, UIntPtr length, out IntPtr error);
  [DllImport(Lib)] public static extern void op_engine_free(IntPtr engine);
  [DllImport(Lib)] public static extern IntPtr op_settle_case(IntPtr engine, byte[] json, UIntPtr length, uint options);
  [DllImport(Lib)] public static extern IntPtr op_settle_visit(IntPtr engine, byte[] member, UIntPtr memberLength,
                                                              byte[] ledger, UIntPtr ledgerLength,
                                                              byte[] visit, UIntPtr visitLength, uint options);
  [DllImport(Lib)] public static extern IntPtr op_reverse(IntPtr engine, byte[] json, UIntPtr length, uint options);
  [DllImport(Lib)] public static extern IntPtr op_reason_label(byte[] reason, uint options);
  [DllImport(Lib)] public static extern int op_result_ok(IntPtr result);
  [DllImport(Lib)] public static extern IntPtr op_result_json(IntPtr result, IntPtr lengthOrNull);
  [DllImport(Lib)] public static extern IntPtr op_result_part(IntPtr result, byte[] name, out UIntPtr length);
  [DllImport(Lib)] public static extern IntPtr op_result_error_code(IntPtr result);
  [DllImport(Lib)] public static extern IntPtr op_result_error_path(IntPtr result);
  [DllImport(Lib)] public static extern void op_result_free(IntPtr result);
  [DllImport("libdl.so.2")] public static extern IntPtr dlopen(string path, int mode);
}

static class Settle {
  static int failures = 0;

  static void Check(bool ok, string what) {
    if (!ok) { failures++; Console.WriteLine("FAILED: " + what); }
  }

  /// A NUL-terminated UTF-8 string the library owns, copied into a .NET string.
  static string Text(IntPtr p) {
    if (p == IntPtr.Zero) return null;
    int n = 0;
    while (Marshal.ReadByte(p, n) != 0) n++;
    var bytes = new byte[n];
    Marshal.Copy(p, bytes, 0, n);
    return Encoding.UTF8.GetString(bytes);
  }

  /// A part of the answer ("ledger", "settlement", ...): not NUL-terminated, so copied by its length.
  static string Part(IntPtr result, string name) {
    UIntPtr length;
    IntPtr p = Native.op_result_part(result, Encoding.UTF8.GetBytes(name + "\0"), out length);
    if (p == IntPtr.Zero) return null;
    var bytes = new byte[(int)length];
    Marshal.Copy(p, bytes, 0, bytes.Length);
    return Encoding.UTF8.GetString(bytes);
  }

  /// Settles one visit against the member's stored ledger (null: a fresh one): { ok, settlement, ledger, error code, error path }.
  static string[] SettleVisit(IntPtr engine, string member, string ledger, string visit) {
    byte[] m = Encoding.UTF8.GetBytes(member), v = Encoding.UTF8.GetBytes(visit);
    byte[] l = ledger == null ? null : Encoding.UTF8.GetBytes(ledger);
    IntPtr r = Native.op_settle_visit(engine, m, (UIntPtr)m.Length, l, (UIntPtr)(l == null ? 0 : l.Length),
                                      v, (UIntPtr)v.Length, 0);
    try {
      return new[] { Native.op_result_ok(r).ToString(), Part(r, "settlement"), Part(r, "ledger"),
                     Text(Native.op_result_error_code(r)), Text(Native.op_result_error_path(r)) };
    } finally {
      Native.op_result_free(r);
    }
  }

  static string[] SettleCase(IntPtr engine, string json, uint options) {
    return Answer(Native.op_settle_case, engine, json, options);
  }

  delegate IntPtr Call(IntPtr engine, byte[] json, UIntPtr length, uint options);

  /// Calls op_settle_case or op_reverse: { ok, json, error code, error path, ledger }.
  static string[] Answer(Call call, IntPtr engine, string json, uint options) {
    var bytes = Encoding.UTF8.GetBytes(json);
    IntPtr r = call(engine, bytes, (UIntPtr)bytes.Length, options);
    try {
      return new[] { Native.op_result_ok(r).ToString(), Text(Native.op_result_json(r, IntPtr.Zero)),
                     Text(Native.op_result_error_code(r)), Text(Native.op_result_error_path(r)), Part(r, "ledger") };
    } finally {
      Native.op_result_free(r);  // every result freed; the strings above are .NET copies
    }
  }

  static int Main(string[] args) {
    if (Native.dlopen(args[0], 2 /* RTLD_NOW */) == IntPtr.Zero) { Console.WriteLine("cannot load " + args[0]); return 1; }
    Console.WriteLine("version " + Text(Native.op_version()) + ", ABI " + Native.op_abi_version());
    Check(Native.op_abi_version() >= 4, "ABI version 4 or later");
    var rules = Encoding.UTF8.GetBytes("zhengzhou-2022");
    IntPtr error;
    IntPtr engine = Native.op_engine_create(rules, (UIntPtr)rules.Length, out error);
    Check(engine != IntPtr.Zero, "engine");

    // Example 1: (200.00 − 40.00) × 55% = 88.00 pooled; 250.00 − 88.00 = 162.00 from the account.
    string c = "{\"id\":\"EX1\",\"member\":{\"id\":\"M1\",\"employment\":\"employee\"}," +
      "\"ledger\":{\"year\":2023,\"poolingPaid\":\"350.00\",\"accountBalance\":\"1200.00\"}," +
      "\"visits\":[{\"id\":\"V1\",\"date\":\"2023-05-12\",\"institution\":{\"id\":\"H001\",\"location\":\"local\"," +
      "\"tier\":\"provincialTertiaryA\"},\"total\":\"250.00\",\"inScope\":\"200.00\"}]}";
    var output = SettleCase(engine, c, 1 | 2);  // OP_EXPLAIN | OP_LANG_ZH
    Check(output[0] == "1", "settled");
    Check(output[1].Contains("\"pooling\":\"88.00\"") && output[1].Contains("\"account\":\"162.00\""), "88.00 and 162.00");
    Check(output[1].Contains("160.00 × 55% = 88.00 → 统筹基金支付 88.00"), "中文 trace");
    int from = output[1].IndexOf("政策范围内费用 200.00 − 起付标准");
    Console.WriteLine("trace: " + output[1].Substring(from, output[1].IndexOf("→ 统筹基金支付 88.00") + 14 - from));

    var bad = SettleCase(engine, c.Replace("\"inScope\":\"200.00\"", "\"inScope\":\"300.00\""), 0);
    Console.WriteLine("rejected " + bad[2] + " at " + bad[3]);
    Check(bad[0] == "0" && bad[2] == "inScopeExceedsTotal" && bad[3] == "visits[0].inScope", "error");

    // A refund the next day by the visit's id: the answer's ledger (stored) holds the settlement in its journal.
    string ledger = output[4];
    var back = Answer(Native.op_reverse, engine, "{\"ledger\":" + ledger + ",\"on\":\"2023-05-13\",\"reverse\":[\"V1\"]}", 0);
    Console.WriteLine("refund by id: " + back[1].Substring(back[1].IndexOf("\"adjustment\""), 66));
    Check(back[0] == "1" && back[1].Contains("\"adjustment\":{\"pooling\":\"-88.00\",\"account\":\"-162.00\""), "refund by id");
    var again = Answer(Native.op_reverse, engine, "{\"ledger\":" + ledger + ",\"on\":\"2023-05-13\",\"reverse\":[\"V9\"]}", 0);
    Check(again[0] == "0" && again[2] == "reversalNotInLedger" && again[3] == "reverse[0]", "a refund of what was never paid");
    Console.WriteLine("label: " + Text(Native.op_reason_label(Encoding.UTF8.GetBytes("capReached\0"), 2)));

    // Visit by visit, as a billing system settles: store the answer's ledger, send it with the member's next
    // visit. The same visit again with that ledger (a retry after a timeout) is refused: nothing is paid twice.
    string member = "{\"id\":\"M7\",\"employment\":\"employee\"}";
    string visit = "{\"id\":\"W1\",\"date\":\"2023-06-01\",\"institution\":{\"id\":\"H9\",\"location\":\"local\"," +
      "\"tier\":\"secondary\"},\"total\":\"140.00\",\"inScope\":\"140.00\"}";
    var first = SettleVisit(engine, member, null, visit);  // (140.00 − 40.00) × 60% = 60.00 pooled
    Console.WriteLine("visit: " + first[1]);
    Check(first[0] == "1" && first[1].Contains("\"pooling\":\"60.00\"") && first[2].StartsWith("{\"year\":2023"), "visit W1");
    var retry = SettleVisit(engine, member, first[2], visit);
    Console.WriteLine("retry: " + retry[3] + " at " + retry[4]);
    Check(retry[0] == "0" && retry[3] == "alreadySettled" && retry[4] == "visit.id" && retry[2] == null, "retry refused");

    // Threads: one engine shared by four threads, 500 settlements each, every answer the same.
    string expected = SettleCase(engine, c, 0)[1];
    int mismatches = 0;
    var threads = new Thread[4];
    for (int t = 0; t < 4; t++) {
      threads[t] = new Thread(() => {
        for (int i = 0; i < 500; i++) if (SettleCase(engine, c, 0)[1] != expected) Interlocked.Increment(ref mismatches);
      });
      threads[t].Start();
    }
    foreach (var th in threads) th.Join();
    Console.WriteLine("threads: 4 × 500 on one engine, " + mismatches + " mismatches");
    Check(mismatches == 0, "threads");

    Native.op_engine_free(engine);
    Console.WriteLine(failures == 0 ? "csharp pinvoke example: ok" : "csharp pinvoke example: " + failures + " checks failed");
    return failures == 0 ? 0 : 1;
  }
}
