package dev.rolesynth.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options every rolesynth pipeline takes. The names are a public contract (docs/operations.md,
 * "Options"); a YAML run config may set the same keys and the command line wins.
 */
public interface RolesynthOptions extends PipelineOptions {
  @Description("Pipeline to run: ditto")
  @Default.String("ditto")
  String getPipeline();

  void setPipeline(String value);

  @Description(
      "YAML run config whose keys are these options (command-line flags win); empty = none")
  @Default.String("")
  String getConfig();

  void setConfig(String value);

  @Description(
      "Role pool: a file or glob, JSONL, JSON array or CSV; empty = the pipeline's shipped sample pool")
  @Default.String("")
  String getInput();

  void setInput(String value);

  @Description("Input format: auto (by file extension), jsonl, json or csv")
  @Default.String("auto")
  String getInputFormat();

  void setInputFormat(String value);

  @Description(
      "Field mapping from canonical names to the pool's own, e.g. name=label,description=bio,id=uid (dotted paths allowed)")
  @Default.String("")
  String getFieldMap();

  void setFieldMap(String value);

  @Description("Longest profile field kept, in characters; longer values are cut and counted")
  @Default.Integer(20000)
  int getMaxFieldChars();

  void setMaxFieldChars(int value);

  @Description(
      "Longest input record (JSONL line) in bytes; longer ones become record_too_large dead letters")
  @Default.Integer(4 << 20)
  int getMaxRecordBytes();

  void setMaxRecordBytes(int value);

  @Description("Output folder; {pipeline} is replaced by the pipeline name")
  @Default.String("output/{pipeline}")
  String getOutput();

  void setOutput(String value);

  @Description("Replace a finished run already in --output instead of stopping with a notice")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description(
      "Folder of the LLM response cache, on any Beam filesystem; empty = .rolesynth-cache beside --output; 'off' = none")
  @Default.String("")
  String getCacheDir();

  void setCacheDir(String value);

  @Description("Most input records to use, first in file order; 0 = all")
  @Default.Integer(0)
  int getLimit();

  void setLimit(int value);

  @Description("The pipeline's own options as JSON: the launcher sets it from their flags (Knobs)")
  @Default.String("")
  @Hidden
  String getKnobs();

  void setKnobs(String value);

  @Description(
      "Folder of prompt templates (<name>.mustache) that replace the pipeline's shipped ones, e.g. translations")
  @Default.String("")
  String getPromptDir();

  void setPromptDir(String value);

  @Description("Seed for every sampling choice and every LLM call, so reruns reproduce")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description(
      "Run id written into provenance and the manifest; empty = generated from the start time")
  @Default.String("")
  String getRunId();

  void setRunId(String value);

  @Description(
      "LLM endpoint: 'sim' (built-in simulator), an OpenAI-compatible base URL such as http://127.0.0.1:8000/v1, "
          + "or gguf:/path/model.gguf (llama.cpp in process)")
  @Default.String("sim")
  String getLlmEndpoint();

  void setLlmEndpoint(String value);

  @Description("gguf: endpoints: tokens of context per parallel sequence")
  @Default.Integer(4096)
  int getLlamaContextSize();

  void setLlamaContextSize(int value);

  @Description("gguf: endpoints: CPU threads of the engine (0 = all available processors)")
  @Default.Integer(0)
  int getLlamaThreads();

  void setLlamaThreads(int value);

  @Description(
      "gguf: endpoints: sequences the engine decodes together (twice as many calls are handed to it)")
  @Default.Integer(2)
  int getLlamaParallel();

  void setLlamaParallel(int value);

  @Description(
      "Model name sent to the endpoint (for gguf: endpoints, recorded in provenance; default: the file name)")
  @Default.String("sim")
  String getLlmModel();

  void setLlmModel(String value);

  @Description("Name of the environment variable holding the API key; empty = no key")
  @Default.String("")
  String getLlmApiKeyEnv();

  void setLlmApiKeyEnv(String value);

  @Description(
      "Path of a file holding the API key, used when --llmApiKeyEnv is empty; empty = no key")
  @Default.String("")
  String getLlmApiKeyFile();

  void setLlmApiKeyFile(String value);

  @Description(
      "Requests per minute allowed by the provider, for the whole job; 0 = not known: the limit the "
          + "provider states in its x-ratelimit headers is adopted, else its rate is discovered from its 429s. With both, "
          + "the lower holds")
  @Default.Double(0)
  double getMaxRequestsPerMinute();

  void setMaxRequestsPerMinute(double value);

  @Description(
      "Tokens per minute allowed by the provider, for the whole job (counted as --tokenAccounting says); "
          + "0 = not known: the limit stated in the provider's headers is adopted. With both, the lower holds")
  @Default.Double(0)
  double getMaxTokensPerMinute();

  void setMaxTokensPerMinute(double value);

  @Description("Most requests in flight at once per worker JVM; 0 = an adaptive limit of up to 64")
  @Default.Integer(0)
  int getMaxConcurrentRequests();

  void setMaxConcurrentRequests(int value);

  @Description(
      "Where the rate budgets live when the job runs on a Flink cluster: auto (a service in this launcher, "
          + "which every TaskManager asks before sending), off (each JVM gets limit / rateLimitWorkers), or the URL of a "
          + "running service (java -cp <bundled jar> dev.rolesynth.cli.RateLimitServiceMain)")
  @Default.String("auto")
  String getRateLimitService();

  void setRateLimitService(String value);

  @Description(
      "Host name or address TaskManagers reach this launcher by, for --rateLimitService=auto on a remote "
          + "cluster (default: the address this machine reaches the Flink master by, which the service listens on)")
  @Default.String("")
  String getRateLimitHost();

  void setRateLimitHost(String value);

  @Description(
      "File holding the secret of a rate-limit service given by URL in --rateLimitService (default: the "
          + "environment variable ROLESYNTH_RATE_LIMIT_TOKEN)")
  @Default.String("")
  String getRateLimitTokenFile();

  void setRateLimitTokenFile(String value);

  @Description(
      "Days a request-cache segment is kept: older ones are removed before a run (0 = forever). Reruns of "
          + "a failed night and backfills of recent dates need the younger ones")
  @Default.Integer(30)
  int getCacheRetentionDays();

  void setCacheRetentionDays(int value);

  @Description(
      "What repeated (nightly) runs produce: off (the same pool and seed give the same records), "
          + "incremental (only records no earlier successful night published, from the ledger), or fresh (a seed and a "
          + "cache of their own per --runDate)")
  @Default.String("off")
  String getNightly();

  void setNightly(String value);

  @Description(
      "Folder of the ledger of published records for --nightly=incremental (any path; {pipeline} and "
          + "{runDate} allowed); default .rolesynth-ledger/{pipeline} beside the output folder")
  @Default.String("")
  String getLedgerDir();

  void setLedgerDir(String value);

  @Description(
      "Date of a scheduled run, yyyy-MM-dd, for {runDate} in --input, --output, --cacheDir and --ledgerDir; "
          + "default: today (UTC); a past date backfills that night")
  @Default.String("")
  String getRunDate();

  void setRunDate(String value);

  @Description(
      "With --rateLimitService=off only: worker JVMs sharing the provider's limits; each gets limit / rateLimitWorkers")
  @Default.Integer(1)
  int getRateLimitWorkers();

  void setRateLimitWorkers(int value);

  @Description("Seconds before one HTTP attempt times out")
  @Default.Integer(60)
  int getLlmTimeoutSeconds();

  void setLlmTimeoutSeconds(int value);

  @Description(
      "Attempts per call for transient faults (5xx, timeouts, dropped connections, malformed bodies)")
  @Default.Integer(5)
  int getLlmMaxAttempts();

  void setLlmMaxAttempts(int value);

  @Description(
      "On a Flink cluster: times a job the cluster failed (a TaskManager lost) is run again, from the request "
          + "cache, before the run fails")
  @Default.Integer(2)
  int getJobRetries();

  void setJobRetries(int value);

  @Description(
      "On a Flink cluster: seconds a retry waits for the slots the job asked for (a replaced TaskManager) "
          + "before it runs at the parallelism that fits in the free ones")
  @Default.Integer(120)
  int getJobRetryWaitSeconds();

  void setJobRetryWaitSeconds(int value);

  @Description(
      "Minutes one call keeps waiting and retrying while the provider answers 429, before it becomes a "
          + "rate_limit_patience_exhausted dead letter (separate from --llmMaxAttempts)")
  @Default.Double(30)
  double getLlmRateLimitPatienceMinutes();

  void setLlmRateLimitPatienceMinutes(double value);

  @Description(
      "How the provider counts tokens against --maxTokensPerMinute and its own limit: max_tokens (the prompt "
          + "plus max_tokens, charged on arrival, as OpenAI documents) or usage (the prompt plus the tokens generated)")
  @Default.String("max_tokens")
  String getTokenAccounting();

  void setTokenAccounting(String value);

  @Description(
      "Per-stage ceilings for max_tokens, stage=N pairs (e.g. answer=400,queries=1200), replacing the "
          + "stages' own; with a token limit in force each stage then asks for 1.5 times its longest answer so far")
  @Default.String("")
  String getLlmMaxTokens();

  void setLlmMaxTokens(String value);

  @Description("Re-asks per call after an answer fails its JSON Schema or stage checks")
  @Default.Integer(2)
  int getLlmMaxRepairs();

  void setLlmMaxRepairs(int value);

  @Description("Groups each LLM stage spreads its work over (parallelism across workers)")
  @Default.Integer(16)
  int getLlmGroups();

  void setLlmGroups(int value);

  @Description("Largest share of input records that may fail before the run exits with code 3")
  @Default.Double(0.5)
  double getMaxFailureRatio();

  void setMaxFailureRatio(double value);
}
