#pragma once
// Two-dimensional objective surfaces for racing optimizers. Each surface
// writes its value and gradient side by side; a descent moves one point
// (x, y) with the trainer's own optimizer_step, OptimizerConfig and ParamState,
// and keeps every step's numbers for the page to draw.
#include <cstddef>
#include <vector>

#include "bplab/names.hpp"
#include "bplab/optimizers.hpp"

namespace bplab {

// valley:     f = ½ (x²/10 + 20 y²), curvatures 0.1 and 20: plain SGD zig-zags across
//             the narrow direction while it crawls along the long one.
// saddle:     f = x² − y², a saddle point at the origin.
// rosenbrock: f = (1 − x)² + 100 (y − x²)², a curved valley with its minimum at (1, 1).
enum class SurfaceKind { valley, saddle, rosenbrock };

inline constexpr NameTable<SurfaceKind, 3> surface_names{{
    {"valley", SurfaceKind::valley},
    {"saddle", SurfaceKind::saddle},
    {"rosenbrock", SurfaceKind::rosenbrock},
}};

// f(x, y) and ∇f(x, y).
struct SurfaceValue {
    double value;
    double grad_x;
    double grad_y;
};

SurfaceValue evaluate_surface(SurfaceKind kind, double x, double y);

// A frame that shows the surface's interesting part, a start point that makes
// a fair race, and the minimum (the saddle point for the saddle).
struct SurfaceView {
    double x_min, x_max, y_min, y_max;
    double start_x, start_y;
    double special_x, special_y;
};

SurfaceView surface_view(SurfaceKind kind);

// f over a res × res grid, rows from y_max down and columns from x_min
// across, at cell centres (the layout of Trainer::heatmaps), into out.
void surface_grid(SurfaceKind kind, std::size_t res, double x_min, double x_max, double y_min,
                  double y_max, std::vector<double>& out);

// Where the point stands after `step` updates.
struct SurfaceStep {
    std::size_t step = 0;       // updates applied so far (0: the start)
    double x = 0.0, y = 0.0;    // the point
    double value = 0.0;         // f(x, y)
    double grad_x = 0.0;        // ∇f(x, y): what the next update uses
    double grad_y = 0.0;
    ParamState state;           // the optimizer's state, one entry per coordinate (x, y)
    std::vector<double> effective_rate;  // per coordinate, of the last update (empty at the start)
    bool diverged = false;      // an update was refused: it made the point or the state non-finite
};

class SurfaceDescent {
public:
    // Throws LabError("invalid_argument") for a start off the finite plane or
    // an optimizer setting the trainer would refuse.
    SurfaceDescent(SurfaceKind kind, const OptimizerConfig& optimizer, double x0, double y0);

    const SurfaceStep& current() const { return current_; }
    SurfaceKind kind() const { return kind_; }
    const OptimizerConfig& optimizer() const { return optimizer_; }

    // One optimizer step with the gradient at the current point. A step that
    // would make the point, its value or the optimizer state non-finite is
    // not taken: the point stays and diverged is set.
    const SurfaceStep& step();

private:
    SurfaceKind kind_;
    OptimizerConfig optimizer_;
    SurfaceStep current_;
};

// The start and `steps` steps after it: steps + 1 entries, or fewer when an
// update was refused, the last entry then repeating the last finite point
// with diverged set.
std::vector<SurfaceStep> descend_surface(SurfaceKind kind, const OptimizerConfig& optimizer,
                                         double x0, double y0, std::size_t steps);

}  // namespace bplab
