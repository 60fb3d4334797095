// The module a billing host imports: the engine (PoolingCore) and the SPEC's wire format (PoolingWire).
@_exported import PoolingCore
@_exported import PoolingWire
