#pragma once
// Snapshots: a training state as bytes, written and read by one list of its
// fields, checksummed, with a header naming the trainer it fits. Equal states
// give equal bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bplab/config.hpp"
#include "bplab/data.hpp"
#include "bplab/state.hpp"

namespace bplab {

// What a snapshot must match: the shapes, the settings and the training data.
struct SnapshotKey {
    std::vector<std::size_t> sizes;
    OptimizerKind optimizer;
    std::size_t batch_size;
    std::size_t train_size;
    std::size_t batches_per_epoch;  // checked against, not written
    std::uint64_t config;           // config_fingerprint
    std::uint64_t data;             // hash_split of the training split
};

std::vector<std::uint8_t> write_snapshot(const SnapshotKey& key, const TrainingState& state);

// The state the bytes hold, read into a copy of `like` (a state of this
// trainer, for its shapes). Throws LabError("bad_snapshot") if the bytes are
// damaged or made for another key, or hold a state this trainer cannot be in.
TrainingState read_snapshot(const std::uint8_t* bytes, std::size_t n, const SnapshotKey& key,
                            const TrainingState& like);

// 64-bit hashes (not cryptographic: they catch damage and mix-ups, not forgery).
std::uint64_t config_fingerprint(const TrainerConfig& config);  // every field of the config
std::uint64_t hash_split(const Split& split);                   // its inputs and targets

}  // namespace bplab
