#pragma once
// How much of the data-parallel gradient reduction and parameter all-gather hides behind compute,
// chunk by chunk and bucket by bucket, in plain and interleaved 1F1B (ZeRO 0-2 with overlap:
// Megatron-Core's --overlap-grad-reduce / --overlap-param-gather, Apex's DistributedFusedAdam
// overlap_grad_sync / overlap_param_sync as NeMo runs them).
//
// Gradients of a model chunk are reduced only after that chunk's last micro-batch's backward, bucket
// by bucket as the bucket's gradients are final. In the interleaved schedule the chunks finish their
// backward one group of min(pp, m) micro-batches apart (the last chunk of the GPU first, the first
// chunk last), so the reduction of every chunk but the first overlaps the backward of the chunks still
// running; the first chunk's last bucket is always exposed. The all-gather of the updated parameters
// is needed chunk by chunk in the next step's forward: the first bucket of the first chunk is always
// exposed, the rest hide behind the forward of what came before them. The optimizer step between the
// two never hides. Collectives of one kind run one after another on their stream.
namespace trainplan {

struct DataParallelOverlapInputs {
  int chunks = 1;                // model chunks per GPU (vp)
  int group_microbatches = 1;    // micro-batches per chunk group of the schedule: min(pp, m)
  int buckets_per_chunk = 1;     // gradient/parameter buckets per chunk
  double chunk_forward_s = 0;    // one micro-batch's forward through one chunk
  double chunk_backward_s = 0;   // one micro-batch's backward through one chunk (recomputation included)
  double bucket_reduce_s = 0;    // one bucket's gradient all-reduce or reduce-scatter (0: none)
  double bucket_gather_s = 0;    // one bucket's parameter all-gather (0: none)
};

struct DataParallelOverlap {
  double reduce_exposed_s = 0;   // reduction still running after the last backward ends
  double gather_exposed_s = 0;   // forward stalls waiting for gathered parameters
  double hidden_s = 0;           // communication that ran beside compute
};

DataParallelOverlap overlap_data_parallel(const DataParallelOverlapInputs& in);

// Megatron-Core's default bucket: max(40M, 1M x data-parallel size) parameters
// (DistributedDataParallelConfig.bucket_size), so each bucket's collective stays large at scale.
double megatron_bucket_parameters(int data_parallel_ranks);

}  // namespace trainplan
