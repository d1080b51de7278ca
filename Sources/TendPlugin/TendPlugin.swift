// TendPlugin is the half of the Terraform plugin client that needs no network: cty types and their msgpack and
// JSON encodings of tend's values, plugin schemas and their conversion to tend's, and finding installed provider
// binaries offline (mirrors, the plugin cache, the lock file). It imports TendModel, ProviderKit and libcrypto;
// never the engine, state, gRPC or another provider.
