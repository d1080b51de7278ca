// Tests of TendPluginRPC: the handshake, the wire calls and the provider adapter, against real plugin processes.
import Testing
