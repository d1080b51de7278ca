import GRPCCore

/// The calls tend makes, with their method names in each protocol version. Requests and replies are the same on the
/// wire in both versions (same field numbers) except the schema, so one set of message types (tfplugin5's) serves
/// both, and only GetProviderSchema decodes a version's own reply.
enum PluginMethod: String, Sendable, CaseIterable {
    case getSchema
    case validateProviderConfig
    case validateResourceConfig
    case validateDataSourceConfig
    case upgradeResourceState
    case configure
    case readResource
    case planResourceChange
    case applyResourceChange
    case importResourceState
    case readDataSource
    case stop

    /// The method's descriptor in protocol `version` (5 or 6).
    func descriptor(version: Int) -> MethodDescriptor {
        version >= 6 ? sixDescriptor : fiveDescriptor
    }

    private var fiveDescriptor: MethodDescriptor {
        switch self {
        case .getSchema: return Tfplugin5_Provider.Method.GetSchema.descriptor
        case .validateProviderConfig: return Tfplugin5_Provider.Method.PrepareProviderConfig.descriptor
        case .validateResourceConfig: return Tfplugin5_Provider.Method.ValidateResourceTypeConfig.descriptor
        case .validateDataSourceConfig: return Tfplugin5_Provider.Method.ValidateDataSourceConfig.descriptor
        case .upgradeResourceState: return Tfplugin5_Provider.Method.UpgradeResourceState.descriptor
        case .configure: return Tfplugin5_Provider.Method.Configure.descriptor
        case .readResource: return Tfplugin5_Provider.Method.ReadResource.descriptor
        case .planResourceChange: return Tfplugin5_Provider.Method.PlanResourceChange.descriptor
        case .applyResourceChange: return Tfplugin5_Provider.Method.ApplyResourceChange.descriptor
        case .importResourceState: return Tfplugin5_Provider.Method.ImportResourceState.descriptor
        case .readDataSource: return Tfplugin5_Provider.Method.ReadDataSource.descriptor
        case .stop: return Tfplugin5_Provider.Method.Stop.descriptor
        }
    }

    private var sixDescriptor: MethodDescriptor {
        switch self {
        case .getSchema: return Tfplugin6_Provider.Method.GetProviderSchema.descriptor
        case .validateProviderConfig: return Tfplugin6_Provider.Method.ValidateProviderConfig.descriptor
        case .validateResourceConfig: return Tfplugin6_Provider.Method.ValidateResourceConfig.descriptor
        case .validateDataSourceConfig: return Tfplugin6_Provider.Method.ValidateDataResourceConfig.descriptor
        case .upgradeResourceState: return Tfplugin6_Provider.Method.UpgradeResourceState.descriptor
        case .configure: return Tfplugin6_Provider.Method.ConfigureProvider.descriptor
        case .readResource: return Tfplugin6_Provider.Method.ReadResource.descriptor
        case .planResourceChange: return Tfplugin6_Provider.Method.PlanResourceChange.descriptor
        case .applyResourceChange: return Tfplugin6_Provider.Method.ApplyResourceChange.descriptor
        case .importResourceState: return Tfplugin6_Provider.Method.ImportResourceState.descriptor
        case .readDataSource: return Tfplugin6_Provider.Method.ReadDataSource.descriptor
        case .stop: return Tfplugin6_Provider.Method.StopProvider.descriptor
        }
    }
}
