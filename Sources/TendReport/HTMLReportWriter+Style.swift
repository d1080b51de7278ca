extension HTMLReportWriter {
    /// The page's only style sheet, inlined. No `&` or `<`, so the page stays well-formed XML.
    static let styleSheet = """
    :root { --changed: #c2410c; --missing: #b91c1c; --unmanaged: #1d4ed8; --ink: #1f2937;
      --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --page: #f5f6f8; }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--page); color: var(--ink);
      font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    header { background: #111827; color: #f9fafb; padding: 24px 32px; }
    header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
    header p { margin: 0; color: #d1d5db; }
    main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
    h2 { font-size: 16px; margin: 32px 0 12px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
    .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
    .card .value { font-size: 28px; font-weight: 600; }
    .card.changed .value { color: var(--changed); }
    .card.missing .value { color: var(--missing); }
    .card.unmanaged .value { color: var(--unmanaged); }
    .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
    svg.chart { width: 100%; height: auto; display: block; }
    svg .grid { stroke: var(--line); stroke-width: 1; }
    svg .axis { stroke: var(--muted); stroke-width: 1; }
    svg .tick, svg .legend { fill: var(--muted); font-size: 11px; }
    svg .empty { fill: var(--muted); font-size: 14px; }
    svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; }
    svg .area { stroke: none; opacity: .12; }
    svg .changed { stroke: var(--changed); fill: var(--changed); }
    svg .missing { stroke: var(--missing); fill: var(--missing); }
    svg .unmanaged { stroke: var(--unmanaged); fill: var(--unmanaged); }
    svg .line.changed, svg .line.missing, svg .line.unmanaged { fill: none; }
    table { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); }
    th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
    th { position: sticky; top: 0; background: #f9fafb; font-size: 12px; color: var(--muted);
      text-transform: uppercase; letter-spacing: .04em; }
    tr.resolved td { color: var(--muted); }
    tr.detail td { border-top: none; padding-top: 0; }
    pre.diff { margin: 0 0 6px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      white-space: pre-wrap; overflow-wrap: anywhere; background: #f9fafb; padding: 6px 8px; }
    pre.diff .removed { color: #b91c1c; background: #fef2f2; }
    pre.diff .added { color: #15803d; background: #f0fdf4; }
    pre.diff .hunk, pre.diff .note { color: var(--muted); }
    .context { font-size: 12px; color: var(--muted); }
    code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      white-space: pre-wrap; overflow-wrap: anywhere; }
    .badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
      color: #fff; background: var(--muted); }
    .badge.changed { background: var(--changed); }
    .badge.missing { background: var(--missing); }
    .badge.unmanaged { background: var(--unmanaged); }
    .status.open { color: var(--missing); font-weight: 600; }
    .none { color: var(--muted); }
    footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
    """
}
