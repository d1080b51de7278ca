import Foundation
import TendModel

/// The drift-over-time chart: an inline SVG with axes, grid lines, labels and a line-and-area series
/// per finding kind. Long histories are cut down to `maxPoints` buckets, each keeping its peaks.
struct DriftChart {
    static let maxPoints = 500
    static let width = 960.0
    static let height = 280.0
    static let left = 52.0, right = 16.0, top = 28.0, bottom = 40.0

    /// One plotted point: a time and the three counts.
    struct Point {
        var at: Date
        var counts: [Int]  // changed, missing, unmanaged
    }

    static let series: [(name: String, cssClass: String)] = [
        ("changed", "changed"), ("missing", "missing"), ("unmanaged", "unmanaged"),
    ]

    let points: [Point]

    init(runs: [DriftRunPoint]) {
        points = Self.downsample(runs)
    }

    /// At most `maxPoints` points: runs split into equal buckets, each bucket keeping its last time
    /// and the highest count of each kind, so a short spike still shows.
    static func downsample(_ runs: [DriftRunPoint]) -> [Point] {
        guard runs.count > maxPoints else {
            return runs.map { Point(at: $0.at, counts: [$0.changed, $0.missing, $0.unmanaged]) }
        }
        return (0..<maxPoints).compactMap { bucket in
            let range = (bucket * runs.count / maxPoints)..<((bucket + 1) * runs.count / maxPoints)
            guard let last = runs[range].last else { return nil }
            var counts = [0, 0, 0]
            for run in runs[range] {
                counts[0] = max(counts[0], run.changed)
                counts[1] = max(counts[1], run.missing)
                counts[2] = max(counts[2], run.unmanaged)
            }
            return Point(at: last.at, counts: counts)
        }
    }

    func write(to out: inout OutputBuffer) {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let (yMax, step) = Self.scale(for: points.flatMap(\.counts).max() ?? 0)
        out.append("<svg class=\"chart\" viewBox=\"0 0 \(Self.fmt(Self.width)) \(Self.fmt(Self.height))\"")
        out.append(" role=\"img\" aria-labelledby=\"chart-title\">\n<title id=\"chart-title\">")
        out.append("Open findings per drift run, by kind</title>\n")
        writeLegend(to: &out)
        var tick = 0
        while tick <= yMax {
            let y = Self.top + plotHeight - Double(tick) / Double(yMax) * plotHeight
            out.append("<line class=\"grid\" x1=\"\(Self.fmt(Self.left))\" y1=\"\(Self.fmt(y))\" ")
            out.append("x2=\"\(Self.fmt(Self.width - Self.right))\" y2=\"\(Self.fmt(y))\"/>\n")
            out.append("<text class=\"tick\" x=\"\(Self.fmt(Self.left - 8))\" y=\"\(Self.fmt(y + 4))\" ")
            out.append("text-anchor=\"end\">\(tick)</text>\n")
            tick += step
        }
        let baseline = Self.top + plotHeight
        out.append("<line class=\"axis\" x1=\"\(Self.fmt(Self.left))\" y1=\"\(Self.fmt(Self.top))\" ")
        out.append("x2=\"\(Self.fmt(Self.left))\" y2=\"\(Self.fmt(baseline))\"/>\n")
        out.append("<line class=\"axis\" x1=\"\(Self.fmt(Self.left))\" y1=\"\(Self.fmt(baseline))\" ")
        out.append("x2=\"\(Self.fmt(Self.width - Self.right))\" y2=\"\(Self.fmt(baseline))\"/>\n")
        guard !points.isEmpty else {
            out.append("<text class=\"empty\" x=\"\(Self.fmt(Self.left + plotWidth / 2))\" ")
            out.append("y=\"\(Self.fmt(Self.top + plotHeight / 2))\" text-anchor=\"middle\">")
            out.append("No drift runs recorded in this window.</text>\n</svg>\n")
            return
        }
        let xs = xPositions(plotWidth: plotWidth)
        writeTimeLabels(xs: xs, baseline: baseline, to: &out)
        for (index, series) in Self.series.enumerated() {
            let coordinates = zip(xs, points).map { x, point in
                (x, baseline - Double(point.counts[index]) / Double(yMax) * plotHeight)
            }
            writeSeries(coordinates, cssClass: series.cssClass, baseline: baseline, to: &out)
        }
        out.append("</svg>\n")
    }

    private func xPositions(plotWidth: Double) -> [Double] {
        guard let first = points.first?.at, let last = points.last?.at else { return [] }
        let span = last.timeIntervalSince(first)
        if points.count == 1 { return [Self.left + plotWidth / 2] }
        if span <= 0 {
            return points.indices.map { Self.left + Double($0) / Double(points.count - 1) * plotWidth }
        }
        return points.map { Self.left + $0.at.timeIntervalSince(first) / span * plotWidth }
    }

    private func writeTimeLabels(xs: [Double], baseline: Double, to out: inout OutputBuffer) {
        var picks = [0, points.count / 2, points.count - 1]
        if points.count < 3 { picks = Array(points.indices) }
        var seen = Set<Int>()
        for index in picks where seen.insert(index).inserted {
            let anchor = picks.count > 1 && index == 0 ? "start"
                : (picks.count > 1 && index == points.count - 1 ? "end" : "middle")
            out.append("<text class=\"tick\" x=\"\(Self.fmt(xs[index]))\" y=\"\(Self.fmt(baseline + 20))\" ")
            out.append("text-anchor=\"\(anchor)\">\(ReportDate.iso8601(points[index].at))</text>\n")
        }
    }

    private func writeSeries(_ coordinates: [(Double, Double)], cssClass: String, baseline: Double,
                             to out: inout OutputBuffer) {
        let line = coordinates.map { "\(Self.fmt($0.0)),\(Self.fmt($0.1))" }.joined(separator: " ")
        if let first = coordinates.first, let last = coordinates.last, coordinates.count > 1 {
            out.append("<polygon class=\"area \(cssClass)\" points=\"\(Self.fmt(first.0)),\(Self.fmt(baseline)) ")
            out.append(line)
            out.append(" \(Self.fmt(last.0)),\(Self.fmt(baseline))\"/>\n")
            out.append("<polyline class=\"line \(cssClass)\" points=\"\(line)\"/>\n")
        }
        if coordinates.count <= 60 {
            for (x, y) in coordinates {
                out.append("<circle class=\"dot \(cssClass)\" cx=\"\(Self.fmt(x))\" cy=\"\(Self.fmt(y))\" r=\"3\"/>\n")
            }
        }
    }

    private func writeLegend(to out: inout OutputBuffer) {
        var x = Self.left
        for series in Self.series {
            out.append("<rect class=\"swatch \(series.cssClass)\" x=\"\(Self.fmt(x))\" y=\"8\" width=\"12\" height=\"12\"/>")
            out.append("<text class=\"legend\" x=\"\(Self.fmt(x + 18))\" y=\"18\">\(series.name)</text>\n")
            x += 110
        }
    }

    /// The y-axis top and tick step: four steps of 1, 2 or 5 times a power of ten covering `maximum`.
    static func scale(for maximum: Int) -> (top: Int, step: Int) {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where factor * magnitude * 4 >= max(maximum, 1) {
                return (factor * magnitude * 4, factor * magnitude)
            }
            guard magnitude <= Int.max / 100 else { return (maximum, max(1, maximum / 4)) }
            magnitude *= 10
        }
    }

    /// A coordinate with at most one decimal.
    static func fmt(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value < 0 { return "-" + fmt(-value) }
        let rounded = (value * 10).rounded() / 10
        let whole = Int64(saturating: rounded)
        if Double(whole) == rounded { return String(whole) }
        return String(whole) + "." + String(abs(Int64(saturating: (rounded * 10).rounded()) % 10))
    }
}
