/// A rectangle of a chart, in the SVG's user units.
struct ChartRect: Equatable {
  var x: Double
  var y: Double
  var width: Double
  var height: Double

  func inset(_ d: Double, top: Double = 0) -> ChartRect {
    ChartRect(x: x + d, y: y + d + top, width: max(0, width - 2 * d), height: max(0, height - 2 * d - top))
  }
}

/// The squarified treemap layout (Bruls, Huizing and van Wijk, 2000): `weights` (positive, in
/// any order) laid out in `bounds` as rectangles whose areas are proportional to the weights and
/// whose sides are as close to square as the order allows. Returned in the order of `weights`.
/// Chart geometry only: the figures themselves stay exact elsewhere.
enum Treemap {
  static func layout(_ weights: [Double], in bounds: ChartRect) -> [ChartRect] {
    var result = [ChartRect](repeating: ChartRect(x: bounds.x, y: bounds.y, width: 0, height: 0), count: weights.count)
    let total = weights.reduce(0, +)
    guard total > 0, bounds.width > 0, bounds.height > 0 else { return result }
    // Largest first; areas scaled to the rectangle.
    let order = weights.indices.filter { weights[$0] > 0 }.sorted { weights[$0] > weights[$1] }
    let scale = bounds.width * bounds.height / total
    var free = bounds
    var row: [Int] = []
    var rowArea = 0.0

    // The worst aspect ratio of a row of areas (largest, smallest, sum) along a side.
    func worst(_ largest: Double, _ smallest: Double, _ sum: Double, _ side: Double) -> Double {
      guard smallest > 0, sum > 0 else { return .infinity }
      let s2 = side * side
      let sum2 = sum * sum
      return max(s2 * largest / sum2, sum2 / (s2 * smallest))
    }

    func place(_ row: [Int], area: Double) {
      guard area > 0 else { return }
      if free.width >= free.height {
        // A column on the left.
        let width = area / free.height
        var y = free.y
        for index in row {
          let height = weights[index] * scale / width
          result[index] = ChartRect(x: free.x, y: y, width: width, height: height)
          y += height
        }
        free = ChartRect(x: free.x + width, y: free.y, width: max(0, free.width - width), height: free.height)
      } else {
        // A row at the top.
        let height = area / free.width
        var x = free.x
        for index in row {
          let width = weights[index] * scale / height
          result[index] = ChartRect(x: x, y: free.y, width: width, height: height)
          x += width
        }
        free = ChartRect(x: free.x, y: free.y + height, width: free.width, height: max(0, free.height - height))
      }
    }

    // Weights come largest first: a row's largest area is its first, its smallest its last.
    for index in order {
      let area = weights[index] * scale
      let side = min(free.width, free.height)
      if row.isEmpty {
        row = [index]
        rowArea = area
        continue
      }
      let largest = weights[row[0]] * scale
      let smallest = weights[row[row.count - 1]] * scale
      if worst(largest, area, rowArea + area, side) <= worst(largest, smallest, rowArea, side) {
        row.append(index)
        rowArea += area
      } else {
        place(row, area: rowArea)
        row = [index]
        rowArea = area
      }
    }
    place(row, area: rowArea)
    return result
  }
}
