//! The scorecard rules: RAG against target and floor, direction of travel, value formatting.
//! Pure functions. (Being written.)
