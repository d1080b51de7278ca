import Foundation

/// A whole plan: the changes, the drift seen on the way, and what it is bound to.
public struct Plan: Sendable, Hashable, Codable {
    /// Changes in dependency order, then address.
    public var changes: [ResourceChange]
    /// Drift found by refresh, apart from the planned changes.
    public var drift: [DriftChange]
    /// Deletes of deposed objects: old halves of create_before_destroy replacements whose delete failed or was
    /// interrupted. Each names its object in `deposedID`; they run after every other change.
    public var deposed: [ResourceChange]
    /// Resources whose create was interrupted (a create-pending intent in state): apply settles each first,
    /// adopting the object the create left or forgetting the intent when there is none.
    public var pendingCreates: [ResourceAddress]
    /// The desired specs the plan was made from; apply uses them, not the files on disk.
    public var specs: [ResourceSpec]
    /// The lineage of the state the plan was made against; nil when no state existed.
    public var lineage: String?
    /// The state serial the plan was made against.
    public var serial: Int
    /// Whether this plan destroys everything (`tend destroy`).
    public var isDestroy: Bool
    /// Problems found while planning that do not stop it.
    public var warnings: [Diagnostic]
    /// Every data source of the configuration, in dependency order then address: read at plan time (with its result,
    /// which apply uses as it is) or left to apply, which reads it before what refers to it. Never stored in state.
    public var dataSources: [DataSourceRead]
    /// When the plan was made (the engine's clock); nil in a plan saved by a tend that did not record it.
    public var createdAt: Date?
    /// What the plan was asked for beyond the configuration (targets, exclusions, replacements, refresh); a plan saved
    /// by a tend that did not record it was a full, refreshed plan.
    public var request: PlanRequest
    /// The configuration's outputs; apply evaluates them against what it leaves behind and records them.
    public var outputSpecs: [OutputSpec] = []
    /// What the plan does to each output, by name.
    public var outputs: [OutputChange] = []

    public init(changes: [ResourceChange], drift: [DriftChange], specs: [ResourceSpec], lineage: String?, serial: Int,
                isDestroy: Bool = false, warnings: [Diagnostic] = [], deposed: [ResourceChange] = [],
                pendingCreates: [ResourceAddress] = [], dataSources: [DataSourceRead] = [], createdAt: Date? = nil,
                request: PlanRequest = PlanRequest()) {
        self.changes = changes
        self.drift = drift
        self.deposed = deposed
        self.pendingCreates = pendingCreates
        self.specs = specs
        self.lineage = lineage
        self.serial = serial
        self.isDestroy = isDestroy
        self.warnings = warnings
        self.dataSources = dataSources
        self.createdAt = createdAt
        self.request = request
    }

    /// The data sources read during apply.
    public var deferredReads: [DataSourceRead] { dataSources.filter(\.isDeferred) }

    /// Whether apply would change anything.
    public var hasChanges: Bool {
        !deposed.isEmpty || !pendingCreates.isEmpty || changes.contains { $0.action != .noop } || outputs.contains { $0.action != .noop }
    }

    /// Counts per kind for the summary line.
    public var summary: (add: Int, change: Int, destroy: Int) {
        var add = 0, change = 0, destroy = 0
        for c in changes {
            switch c.action {
            case .create: add += 1
            case .update: change += 1
            case .delete: destroy += 1
            case .deleteThenCreate, .createThenDelete: add += 1; destroy += 1
            case .noop: break
            }
        }
        return (add, change, destroy + deposed.count)
    }
}

extension Plan {
    /// Decodes a plan; one saved before deposed objects, interrupted creates and data sources were part of plans has
    /// none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(changes: try container.decode([ResourceChange].self, forKey: .changes),
                  drift: try container.decode([DriftChange].self, forKey: .drift),
                  specs: try container.decode([ResourceSpec].self, forKey: .specs),
                  lineage: try container.decodeIfPresent(String.self, forKey: .lineage),
                  serial: try container.decode(Int.self, forKey: .serial),
                  isDestroy: try container.decode(Bool.self, forKey: .isDestroy),
                  warnings: try container.decode([Diagnostic].self, forKey: .warnings),
                  deposed: try container.decodeIfPresent([ResourceChange].self, forKey: .deposed) ?? [],
                  pendingCreates: try container.decodeIfPresent([ResourceAddress].self, forKey: .pendingCreates) ?? [],
                  dataSources: try container.decodeIfPresent([DataSourceRead].self, forKey: .dataSources) ?? [],
                  createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt),
                  request: try container.decodeIfPresent(PlanRequest.self, forKey: .request) ?? PlanRequest())
        outputSpecs = try container.decodeIfPresent([OutputSpec].self, forKey: .outputSpecs) ?? []
        outputs = try container.decodeIfPresent([OutputChange].self, forKey: .outputs) ?? []
    }
}
