// TendPluginRPC runs a Terraform provider binary and speaks to it: go-plugin's handshake, the generated tfplugin5
// and tfplugin6 messages, the gRPC client over a Unix socket, and the adapter that makes a plugin a
// ResourceProvider. It imports TendPlugin, ProviderKit and gRPC; never the engine or state.
