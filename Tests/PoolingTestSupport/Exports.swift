// The seeded generator and the case generator the tests share with `generate`.
@_exported import PoolingGenerate
