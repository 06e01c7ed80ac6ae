#pragma once
// TensorFlow Playground's datasets (src/dataset.ts), regenerated from our own
// seeded generator, plus multiclass sets. Points live in [-6, 6]²; noise is
// the playground's 0…0.5 (its slider divided by 100).
#include <cstddef>
#include <vector>

#include "bplab/names.hpp"
#include "bplab/random.hpp"

namespace bplab {

enum class DatasetKind { circle, xor_, gauss, spiral, blobs, plane, multigauss };

inline constexpr NameTable<DatasetKind, 7> dataset_names{{
    {"circle", DatasetKind::circle},
    {"xor", DatasetKind::xor_},
    {"gauss", DatasetKind::gauss},
    {"spiral", DatasetKind::spiral},
    {"blobs", DatasetKind::blobs},
    {"plane", DatasetKind::plane},
    {"multigauss", DatasetKind::multigauss},
}};

inline bool is_regression(DatasetKind kind) {
    return kind == DatasetKind::plane || kind == DatasetKind::multigauss;
}

// Spiral and blobs take 2 to 5 classes; the other classification sets have 2.
inline bool takes_classes(DatasetKind kind) {
    return kind == DatasetKind::spiral || kind == DatasetKind::blobs;
}

struct DatasetConfig {
    DatasetKind kind = DatasetKind::circle;
    std::size_t samples = 500;
    double noise = 0.0;
    double train_ratio = 0.5;
    std::size_t classes = 2;
};

// Points with a class index (classification) or a value in [-1, 1] (regression).
struct Dataset {
    std::vector<double> points;  // n × 2: x1, x2
    std::vector<double> labels;  // n
    std::size_t classes = 2;     // 0 for regression
    std::size_t size() const { return labels.size(); }
};

Dataset generate_dataset(const DatasetConfig& config, Rng& rng);

// Shuffles with rng and splits as the playground does: the first
// floor(n * train_ratio) points train, the rest test.
void split_dataset(const Dataset& all, double train_ratio, Rng& rng, Dataset& train, Dataset& test);

}  // namespace bplab
