// The module a billing host imports: the engine (PoolingCore) and the documented wire format (PoolingWire).
@_exported import PoolingCore
@_exported import PoolingWire
