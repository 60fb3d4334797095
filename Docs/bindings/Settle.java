// Calling libOutpatientPoolingC.so from Java with JNA (Debian: libjna-java, /usr/share/java/jna.jar).
//
//   javac -cp /usr/share/java/jna.jar -d /tmp/settle Docs/bindings/Settle.java
//   java -cp /usr/share/java/jna.jar:/tmp/settle Settle .build/release/libOutpatientPoolingC.so
//
// Takes the library's path as its only argument; exits 0 only when its own checks pass.
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public final class Settle {
  /** The signatures of outpatient_pooling.h. size_t is passed as long (64-bit Linux and macOS). */
  public interface OutpatientPooling extends Library {
    String op_version();
    int op_abi_version();
    Pointer op_engine_create(byte[] rules, long length, PointerByReference error);
    void op_engine_free(Pointer engine);
    Pointer op_settle_case(Pointer engine, byte[] json, long length, int options);
    Pointer op_settle_visit(
        Pointer engine, byte[] member, long memberLength, byte[] ledger, long ledgerLength, byte[] visit,
        long visitLength, int options);
    Pointer op_reverse(Pointer engine, byte[] json, long length, int options);
    int op_result_ok(Pointer result);
    Pointer op_result_json(Pointer result, Pointer lengthOrNull);
    Pointer op_result_part(Pointer result, byte[] name, LongByReference length);
    Pointer op_result_error_code(Pointer result);
    Pointer op_result_error_path(Pointer result);
    void op_result_free(Pointer result);
  }

  static final int OP_EXPLAIN = 1, OP_LANG_ZH = 2;
  static OutpatientPooling lib;
  static int failures = 0;

  /** Strings come back as pointers and are decoded as UTF-8 here, whatever -Djna.encoding says. */
  static String text(Pointer p) {
    return p == null ? null : p.getString(0, StandardCharsets.UTF_8.name());
  }

  /** A part of an answer ("ledger", "settlement", ...): not NUL-terminated, so copied by its length. */
  static String part(Pointer result, String name) {
    LongByReference length = new LongByReference();
    Pointer p = lib.op_result_part(result, (name + "\0").getBytes(StandardCharsets.UTF_8), length);
    return p == null ? null : new String(p.getByteArray(0, (int) length.getValue()), StandardCharsets.UTF_8);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      failures++;
      System.out.println("FAILED: " + what);
    }
  }

  /** Calls op_settle_case; returns { ok, json, code, path, ledger } and frees the result. */
  static String[] settle(Pointer engine, String json, int options) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Pointer r = lib.op_settle_case(engine, bytes, bytes.length, options);
    try {
      return new String[] {
        String.valueOf(lib.op_result_ok(r)), text(lib.op_result_json(r, null)),
        text(lib.op_result_error_code(r)), text(lib.op_result_error_path(r)), part(r, "ledger")
      };
    } finally {
      lib.op_result_free(r);  // every result freed; the strings above are Java copies
    }
  }

  public static void main(String[] args) throws Exception {
    lib = Native.load(args[0], OutpatientPooling.class);
    System.out.println("version " + lib.op_version() + ", ABI " + lib.op_abi_version());
    check(lib.op_abi_version() >= 4, "ABI version 4 or later");
    byte[] rules = "zhengzhou-2022".getBytes(StandardCharsets.UTF_8);
    Pointer engine = lib.op_engine_create(rules, rules.length, null);
    check(engine != null, "engine");

    // Example 1: (200.00 − 40.00) × 55% = 88.00 pooled; 250.00 − 88.00 = 162.00 from the account.
    String c = "{\"id\":\"EX1\",\"member\":{\"id\":\"M1\",\"employment\":\"employee\"},"
        + "\"ledger\":{\"year\":2023,\"poolingPaid\":\"350.00\",\"accountBalance\":\"1200.00\"},"
        + "\"visits\":[{\"id\":\"V1\",\"date\":\"2023-05-12\",\"institution\":{\"id\":\"H001\",\"location\":\"local\","
        + "\"tier\":\"provincialTertiaryA\"},\"total\":\"250.00\",\"inScope\":\"200.00\"}]}";
    String[] out = settle(engine, c, OP_EXPLAIN | OP_LANG_ZH);
    check(out[0].equals("1"), "settled");
    check(out[1].contains("\"pooling\":\"88.00\"") && out[1].contains("\"account\":\"162.00\""), "88.00 and 162.00");
    // The 中文 trace arrives intact (UTF-8 decoded by this caller, not by the platform's default charset).
    check(out[1].contains("160.00 × 55% = 88.00 → 统筹基金支付 88.00"), "中文 trace");
    int from = out[1].indexOf("政策范围内费用 200.00 − 起付标准");
    System.out.println("trace: " + out[1].substring(from, out[1].indexOf("→ 统筹基金支付 88.00") + 14));

    // An error: code and path.
    String[] bad = settle(engine, c.replace("\"inScope\":\"200.00\"", "\"inScope\":\"300.00\""), 0);
    System.out.println("rejected " + bad[2] + " at " + bad[3]);
    check(bad[0].equals("0") && "inScopeExceedsTotal".equals(bad[2]) && "visits[0].inScope".equals(bad[3]), "error");

    // A refund of that visit the next day, by its id, gives everything back.
    String ledger = out[4];  // the answer's ledger, as the host stores it
    String refund = "{\"ledger\":" + ledger + ",\"on\":\"2023-05-13\",\"reverse\":[\"V1\"]}";
    byte[] rb = refund.getBytes(StandardCharsets.UTF_8);
    Pointer r = lib.op_reverse(engine, rb, rb.length, 0);
    String back = text(lib.op_result_json(r, null));
    lib.op_result_free(r);
    check(back.contains("\"adjustment\":{\"pooling\":\"-88.00\",\"account\":\"-162.00\",\"cash\":\"0.00\"}"), "refund");

    // Visit by visit, as a billing system settles: the answer's ledger is stored and sent with the next visit.
    // The same visit sent again with that ledger (a retry after a timeout) is refused: nothing is paid twice.
    byte[] member = "{\"id\":\"M7\",\"employment\":\"employee\"}".getBytes(StandardCharsets.UTF_8);
    byte[] visit = ("{\"id\":\"W1\",\"date\":\"2023-06-01\",\"institution\":{\"id\":\"H9\",\"location\":\"local\","
        + "\"tier\":\"secondary\"},\"total\":\"140.00\",\"inScope\":\"140.00\"}").getBytes(StandardCharsets.UTF_8);
    r = lib.op_settle_visit(engine, member, member.length, null, 0, visit, visit.length, 0);
    String settled = part(r, "settlement");
    byte[] stored = part(r, "ledger").getBytes(StandardCharsets.UTF_8);
    lib.op_result_free(r);
    check(settled.contains("\"pooling\":\"60.00\""), "visit: (140.00 - 40.00) x 60% = 60.00");
    r = lib.op_settle_visit(engine, member, member.length, stored, stored.length, visit, visit.length, 0);
    System.out.println("retry: " + text(lib.op_result_error_code(r)) + " at " + text(lib.op_result_error_path(r)));
    check(lib.op_result_ok(r) == 0 && "alreadySettled".equals(text(lib.op_result_error_code(r))), "retry refused");
    lib.op_result_free(r);

    // Threads: one engine shared by four threads, 500 settlements each, every answer the same.
    String expected = settle(engine, c, 0)[1];
    List<Thread> threads = new ArrayList<>();
    int[] mismatches = new int[1];
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          if (!settle(engine, c, 0)[1].equals(expected)) {
            synchronized (mismatches) { mismatches[0]++; }
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
    System.out.println("threads: 4 × 500 on one engine, " + mismatches[0] + " mismatches");
    check(mismatches[0] == 0, "threads");

    lib.op_engine_free(engine);
    System.out.println(failures == 0 ? "java jna example: ok" : "java jna example: " + failures + " checks failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
