#pragma once
// Failures, checkpoints and goodput: turns a failure-free time-to-train into the expected wall time of
// the run when GPUs, hosts and switches fail, the job checkpoints every tau seconds, and every failure
// costs a restart plus the work done since the last checkpoint. Pure functions over plain structs.
// The model and its sources: docs/goodput-and-cost.md.
#include <string>
#include <vector>

namespace trainplan {

// One cause of unexpected interruptions and its share of them (for the report; the rates below are
// what the model runs on). Default: Llama 3's Table 5 counts.
struct FailureCause {
  bool operator==(const FailureCause&) const = default;  // lets tests see whether an input changed anything
  std::string name;
  double share = 0;  // fraction of unexpected interruptions, the shares sum to 1
};

// How often a job is interrupted. Rates are Poisson: independent of each other and of time.
struct FailureModel {
  bool operator==(const FailureModel&) const = default;  // lets tests see whether an input changed anything
  double unexpected_per_gpu_day = 4.7e-4;   // per GPU in the job per day (Llama 3: 419 / (16,384 x 54))
  double unexpected_per_node_day = 0;       // extra per node (host, PSU, ...) on top of the GPU term
  double unexpected_per_switch_day = 0;     // extra per network switch the job spans
  double planned_per_day = 47.0 / 54.0;     // planned interruptions of the job per day (maintenance, upgrades)
  double hardware_share = 0.78;             // fraction of unexpected interruptions that take out a node
  std::vector<FailureCause> causes;         // optional split, shares of the unexpected interruptions
};

// When and how the job saves its state.
struct CheckpointPolicy {
  bool operator==(const CheckpointPolicy&) const = default;  // lets tests see whether an input changed anything
  // Bytes per parameter in a checkpoint: bf16 weights + fp32 master weights + Adam's two moments.
  double weights_bytes_per_param = 2;
  double master_bytes_per_param = 4;
  double optimizer_bytes_per_param = 8;
  double interval_s = 0;                    // 0: the Young/Daly optimum; > 0: checkpoint this often
  double storage_gb_s = 2000;               // aggregate write bandwidth of the storage, 1e9 bytes/s
  double node_storage_gb_s = 25;            // what one node can write, 1e9 bytes/s
  // In-memory first stage: training blocks only while each GPU copies its state to host memory; the
  // copy is persisted to storage in the background (and, by assumption, replicated to a peer node so
  // that it survives the loss of its node).
  bool in_memory_first_stage = false;
  double host_copy_gb_s_per_gpu = 32;       // device-to-host copy bandwidth per GPU, 1e9 bytes/s
  double bytes_per_param() const {
    return weights_bytes_per_param + master_bytes_per_param + optimizer_bytes_per_param;
  }
};

// What an interruption costs besides lost work, and optional hot spares.
struct RecoveryPolicy {
  bool operator==(const RecoveryPolicy&) const = default;  // lets tests see whether an input changed anything
  double restart_s = 600;                   // detect, re-launch, re-load the checkpoint, warm up
  int hot_spare_nodes = 0;                  // healthy nodes kept ready to replace a failed one
  // Extra wait of a restart after a node loss when no spare is at hand (0: the scheduler always finds
  // a healthy node outside the job). Only with a wait does a spare pool shorten restarts.
  double spare_wait_s = 0;
  double node_repair_s = 24 * 3600.0;       // how long a failed node is out (sizes the spare pool's use)
};

struct ReliabilityParams {
  bool operator==(const ReliabilityParams&) const = default;  // lets tests see whether an input changed anything
  FailureModel failures;
  CheckpointPolicy checkpoint;
  RecoveryPolicy recovery;
};

// The job as far as failures and checkpoints care.
struct ReliabilityJob {
  int gpus = 0;
  int gpus_per_node = 8;                    // GPUs per scale-up domain: the unit a failure takes out
  int gpus_per_host = 0;                    // GPUs per host when a domain holds several (NVL72: 4); 0: one
  double switches = 0;                      // network switches the job spans (from the topology)
  double params_total = 0;                  // every parameter is checkpointed (all experts of an MoE)
  double state_bytes_per_gpu = 0;           // weights + optimizer state one GPU holds; 0: checkpoint / gpus
  double step_time_s = 0;                   // checkpoints happen between steps
  double failure_free_s = 0;                // time to train without interruptions
};

// The process the analytic model and the Monte-Carlo simulation share, resolved to plain numbers.
// The run is segments of tau seconds of work followed by a checkpoint of delta seconds. Unexpected
// failures arrive at rate lambda at any moment (work, checkpoint or restart); each costs the time
// since the segment began plus a restart (R, or R + spare wait when the failure took a node and no
// spare is at hand), and a failure during a restart starts the restart again. Planned interruptions
// arrive at rate mu over the wall time, wait for a checkpoint (no lost work) and cost one restart.
struct RunProcess {
  double work_s = 0;                        // failure-free training time
  double interval_s = 0;                    // tau: work between checkpoints
  double checkpoint_block_s = 0;            // delta: training time blocked per checkpoint
  double unexpected_per_s = 0;              // lambda for the whole job
  double restart_s = 0;                     // after every interruption
  double node_loss_wait_probability = 0;    // P(a failure takes a node and no spare is at hand)
  double spare_wait_s = 0;                  // added to the restart in that case
  double planned_per_s = 0;                 // mu for the whole job
};

// Expected unexpected interruptions of one cause over the run.
struct CauseCount {
  std::string name;
  double expected_interruptions = 0;
};

struct ReliabilityEstimate {
  RunProcess process;
  // Failures.
  int nodes = 0;
  double unexpected_per_day = 0;            // whole job
  double planned_per_day = 0;
  double job_mtbf_s = 0;                    // M = 1 / lambda (unexpected only)
  // Checkpoints.
  double checkpoint_bytes = 0;
  double checkpoint_persist_s = 0;          // full write to storage (the blocking time without a first stage)
  double checkpoint_block_s = 0;            // delta
  double young_daly_interval_s = 0;         // sqrt(2 delta M)
  double interval_s = 0;                    // tau as used (rounded to whole steps)
  bool interval_optimal = true;             // false: given by the user
  // Expectations over the run.
  double expected_unexpected_interruptions = 0;  // lambda x wall (failures strike at any time)
  double expected_planned_interruptions = 0;
  double expected_restart_wall_s = 0;       // per unexpected interruption, failures during it included
  double expected_lost_work_s_per_failure = 0;
  std::vector<CauseCount> by_cause;         // the split of expected_unexpected_interruptions, if given
  double checkpoint_overhead_s = 0;         // blocking time of all checkpoints
  double lost_work_s = 0;                   // work re-done after failures
  double restart_overhead_s = 0;            // restarts and spare waits, unexpected and planned
  double wall_s = 0;                        // expected time to train with interruptions
  double goodput = 0;                       // work_s / wall_s: the effective training time fraction
  // First-order waste (delta/tau + tau/(2M) + R/M), for comparison with the exact expectation.
  double first_order_waste = 0;
  std::vector<std::string> notes;
};

// Young (1974) / Daly (2006) first-order optimal checkpoint interval: tau = sqrt(2 delta M).
double young_daly_interval_s(double checkpoint_block_s, double job_mtbf_s);

// P(N >= k) for N ~ Poisson(mean).
double poisson_at_least(int k, double mean);

// Expected wall time of one segment of `length_s` seconds (work + checkpoint) that restarts from its
// beginning after every failure, a restart taking `restart_wall_s` on average (failures during it
// included): (1/lambda + T_R) (e^{lambda L} - 1).
double expected_segment_wall_s(double length_s, double failures_per_s, double restart_wall_s);
// Expected time from a failure until the job runs again, failures during the restart included.
double expected_restart_wall_s(const RunProcess& process);
// Expected time a planned interruption costs (its first restart needs no spare).
double expected_planned_wall_s(const RunProcess& process);

// The expected wall time of the process: the exact expectation of what simulate_run samples.
double expected_wall_s(const RunProcess& process);

// What an estimate fills: everything a report shows, or only its figures (the uncertainty samples'
// economics: no notes, no split by cause; every number the same).
enum class EstimateDetail { full, figures };

ReliabilityEstimate estimate_reliability(const ReliabilityJob& job, const ReliabilityParams& params,
                                         EstimateDetail detail = EstimateDetail::full);

}  // namespace trainplan
