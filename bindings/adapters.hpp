#pragma once
// Adapters between JS values and the engine. Every entry point catches every
// C++ exception and returns it as { error: { code, field, message } }: an
// exception that crossed into JS would leak wasm memory on each throw.
#include <memory>
#include <vector>

#include <emscripten/val.h>

#include "bplab/config.hpp"
#include "bplab/trainer.hpp"

namespace bplab::wasm {

using emscripten::val;

// Reads a JS config object; anything it cannot understand becomes a problem.
TrainerConfig config_from_js(const val& js, std::vector<ConfigProblem>& problems);

class TrainerHandle {
public:
    val init(val config);
    val layer_sizes() const;
    val get_weights(double layer) const;
    val set_weights(double layer, val values);
    val get_biases(double layer) const;
    val set_biases(double layer, val values);
    val set_data(val x, val y, double n);
    val data() const;
    val predict(val x, double n);
    val step_phase();
    val train_step();
    val train_epoch();
    val cursor() const;
    val trace(double layer) const;
    val evaluate();
    val heatmaps(double res, double x_min, double x_max, double y_min, double y_max);
    val input_heatmaps(double res, double x_min, double x_max, double y_min, double y_max);
    val snapshot() const;
    val restore(val bytes);

private:
    Trainer& engine() const;
    std::unique_ptr<Trainer> trainer_;
};

val engine_info();

}  // namespace bplab::wasm
