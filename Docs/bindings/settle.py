"""Calling libOutpatientPoolingC.so from Python with ctypes (standard library only).

    swift build -c release --product OutpatientPoolingC
    python3 Docs/bindings/settle.py .build/release/libOutpatientPoolingC.so

Run by the test suite (CABITests) against the debug build.
"""
import ctypes
import json
import sys

lib = ctypes.CDLL(sys.argv[1] if len(sys.argv) > 1 else "libOutpatientPoolingC.so")

# The signatures of include/outpatient_pooling.h.
lib.op_version.restype = ctypes.c_char_p
lib.op_engine_create.restype = ctypes.c_void_p
lib.op_engine_create.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
lib.op_engine_free.argtypes = [ctypes.c_void_p]
lib.op_settle_case.restype = ctypes.c_void_p
lib.op_settle_case.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
lib.op_reverse.restype = ctypes.c_void_p
lib.op_reverse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
lib.op_settle_visit.restype = ctypes.c_void_p
lib.op_settle_visit.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
                                ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
lib.op_reason_label.restype = ctypes.c_char_p
lib.op_reason_label.argtypes = [ctypes.c_char_p, ctypes.c_uint]
lib.op_result_ok.argtypes = [ctypes.c_void_p]
lib.op_result_json.restype = ctypes.c_char_p
lib.op_result_json.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
for name in ("op_result_error_code", "op_result_error_path", "op_result_error_message"):
    getattr(lib, name).restype = ctypes.c_char_p
    getattr(lib, name).argtypes = [ctypes.c_void_p]
lib.op_result_free.argtypes = [ctypes.c_void_p]
OP_EXPLAIN, OP_LANG_ZH = 1, 2


def call(function, engine, request, options=0):
    """Calls op_settle_case or op_reverse with a dict; returns the answer, or raises ValueError(code, path)."""
    data = json.dumps(request, ensure_ascii=False).encode("utf-8")
    result = function(engine, data, len(data), options)
    try:
        if not lib.op_result_ok(result):
            raise ValueError(lib.op_result_error_code(result).decode(), (lib.op_result_error_path(result) or b"").decode())
        return json.loads(lib.op_result_json(result, None).decode("utf-8"))
    finally:
        lib.op_result_free(result)  # the JSON was copied by .decode() above


def settle_visit(engine, member, ledger, visit, options=0):
    """Settles one visit against the member's stored ledger (None: a fresh one); returns {settlement, ledger}."""
    m = json.dumps(member).encode("utf-8")
    v = json.dumps(visit).encode("utf-8")
    l = None if ledger is None else json.dumps(ledger, ensure_ascii=False).encode("utf-8")
    result = lib.op_settle_visit(engine, m, len(m), l, 0 if l is None else len(l), v, len(v), options)
    try:
        if not lib.op_result_ok(result):
            raise ValueError(lib.op_result_error_code(result).decode(), (lib.op_result_error_path(result) or b"").decode())
        return json.loads(lib.op_result_json(result, None).decode("utf-8"))
    finally:
        lib.op_result_free(result)


def settle(engine, case, options=0):
    """Settles a case (a dict); returns the case output."""
    return call(lib.op_settle_case, engine, case, options)


def reverse(engine, refund, options=0):
    """Reverses settlements (a refund, optionally settling kept items again); returns the refund output."""
    return call(lib.op_reverse, engine, refund, options)


rules = b"zhengzhou-2022"
error = ctypes.c_void_p()
engine = lib.op_engine_create(rules, len(rules), ctypes.byref(error))
assert engine, "engine"

# Example 1 (Fixtures/golden/cases/basic-deductible-and-account.json): (200.00 − 40.00) × 55% = 88.00 from pooling; 250.00 − 88.00 = 162.00 from the account.
case = {
    "id": "EX1",
    "member": {"id": "M1", "employment": "employee"},
    "ledger": {"year": 2023, "poolingPaid": "350.00", "accountBalance": "1200.00"},
    "visits": [{"id": "V1", "date": "2023-03-10",
                "institution": {"id": "H001", "location": "local", "tier": "provincialTertiaryA"},
                "total": "250.00", "inScope": "200.00"}],
}
print("version", lib.op_version().decode())
output = settle(engine, case, OP_EXPLAIN | OP_LANG_ZH)
s = output["settlements"][0]
print("pooling", s["pooling"], "account", s["account"], "cash", s["cash"])
pooling_step = next(step for step in s["trace"] if step["step"] == "pooling")
print(pooling_step["article"], pooling_step["detail"])
assert (s["pooling"], s["account"], s["cash"]) == ("88.00", "162.00", "0.00")
assert "160.00 × 55% = 88.00" in pooling_step["detail"]

case["visits"][0]["inScope"] = "300.00"  # more than the total
try:
    settle(engine, case)
    raise AssertionError("should have been rejected")
except ValueError as e:
    print("rejected", *e.args)
    assert e.args == ("inScopeExceedsTotal", "visits[0].inScope")

# A full refund of that visit the next day: the stored ledger's journal holds the settlement, so its visit id
# is all it takes. Everything comes back: pooling 350.00 + 88.00 − 88.00 = 350.00 paid, the account
# 1038.00 + 162.00 = 1200.00, and the day's 40.00 deductible entry is removed.
case["visits"][0]["inScope"] = "200.00"
settled = settle(engine, case)
refund = {"ledger": settled["ledger"], "on": "2023-03-11", "reverse": [s["visitId"] for s in settled["settlements"]]}
back = reverse(engine, refund)
print("refund adjustment", back["adjustment"])
assert back["adjustment"] == {"pooling": "-88.00", "account": "-162.00", "cash": "0.00"}
assert (back["ledger"]["poolingPaid"], back["ledger"]["accountBalance"], back["ledger"]["deductibles"]) == ("350.00", "1200.00", [])
try:
    reverse(engine, refund | {"on": "2023-03-09"})
    raise AssertionError("should have been rejected")
except ValueError as e:
    print("rejected refund", *e.args)
    assert e.args == ("invalidDate", "on")

# Visit by visit, as a billing system settles: store the answer's ledger, pass it with the next visit. A retry
# (the same visit sent again with the ledger that booked it) is refused; the stored journal entry is the answer.
member = {"id": "M7", "employment": "employee"}
visit = {"id": "W1", "date": "2023-06-01", "institution": {"id": "H9", "location": "local", "tier": "secondary"},
         "total": "140.00", "inScope": "140.00"}
answer = settle_visit(engine, member, {"year": 2023, "accountBalance": "1200.00"}, visit)
stored = answer["ledger"]
print("visit", answer["settlement"]["pooling"], answer["settlement"]["account"])  # (140 − 40) × 0.60 = 60.00; 80.00
assert (answer["settlement"]["pooling"], answer["settlement"]["account"]) == ("60.00", "80.00")
try:
    settle_visit(engine, member, stored, visit)
    raise AssertionError("a retry should have been refused")
except ValueError as e:
    entry = next(x for x in stored["settled"] if x["visitId"] == "W1")
    print("retry", *e.args, "stored pooling", entry["pooling"])
    assert e.args == ("alreadySettled", "visit.id") and entry["pooling"] == "60.00"
# A refund of W1 by its id: the journal's figures come back.
back = reverse(engine, {"ledger": stored, "on": "2023-06-02", "reverse": ["W1"]})
print("refund by id", back["adjustment"])
assert back["adjustment"] == {"pooling": "-60.00", "account": "-80.00", "cash": "0.00"}
assert back["ledger"]["accountBalance"] == "1200.00" and back["ledger"]["settled"] == []
print("label", lib.op_reason_label(b"capReached", OP_LANG_ZH).decode())

lib.op_engine_free(engine)
print("python ctypes example: ok")
