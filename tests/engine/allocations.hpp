#pragma once
// Counts heap allocations while a Counting object is alive (the global
// operator new is replaced in allocations.cpp).
#include <cstddef>

namespace bplab_test {

std::size_t allocations_counted();

class CountAllocations {
public:
    CountAllocations();
    ~CountAllocations();
    std::size_t count() const;

private:
    std::size_t start_;
};

// While alive, the allocation after `after` others throws std::bad_alloc
// (once), for checking that a call which fails part-way changes nothing.
class FailAllocation {
public:
    explicit FailAllocation(long after);
    ~FailAllocation();
    bool failed() const;  // the planned failure has happened

private:
    FailAllocation(const FailAllocation&) = delete;
};

}  // namespace bplab_test
