// Tests of TendPlugin: cty types, msgpack values, plugin schemas, finding providers offline.
import Testing
