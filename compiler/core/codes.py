"""Every diagnostic code swmlc can emit, in one registry.

The table is data only: ``compiler.features.catalogue`` joins it with the lint rules' codes and
generates docs/diagnostics.md from both (``python -m compiler.features.catalogue``); a test keeps
the two in step, so a code never exists without its documentation. Ranges:
SWC0xx reading YAML, SWC1xx the shape of a definition, SWC2xx composition, SWC3xx templating,
SWC4xx static checks, SWC5xx the official schema, SWC6xx targets, SWC7xx running and testing
agents (exec, test, graph), SWC9xx the project and the tool.
"""

from __future__ import annotations

from compiler.core.diagnostics import Code, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (a table's column)

YAML_SYNTAX = Code("SWC001", "yaml-syntax", E, "The file is not well-formed YAML.",
    "prompt:\n  text: \"unterminated\n", "prompt:\n  text: \"terminated\"\n")
DUPLICATE_KEY = Code("SWC002", "duplicate-key", E,
    "A mapping names the same key twice. YAML parsers disagree on which one wins, so swmlc "
    "refuses both.",
    "params:\n  barge_confidence: 0.1\n  barge_confidence: 0.2\n",
    "params:\n  barge_confidence: 0.2\n")
ALIAS_BOMB = Code("SWC003", "alias-expansion", E,
    "YAML aliases expand to too many nodes (a 'billion laughs' document), or an alias refers to "
    "itself.",
    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ...",
    "hints: [x]\n")
TOO_DEEP = Code("SWC004", "nesting-too-deep", E, "Values are nested deeper than swmlc reads.",
    "a: [[[[[[ ... ]]]]]]  # hundreds of levels", "a: [x]\n")
NOT_A_MAPPING = Code("SWC005", "not-a-mapping", E,
    "An agent definition (and every fragment) must be one YAML mapping, in one document.",
    "- prompt: hi\n", "prompt:\n  text: hi\n")
UNKNOWN_TAG = Code("SWC006", "unknown-tag", E,
    "A YAML tag swmlc does not know. Merge tags are !append, !prepend, !replace and !delete.",
    "hints: !appendd [x]\n", "hints: !append [x]\n")
UNREADABLE = Code("SWC007", "unreadable-file", E, "A file could not be read, or is not UTF-8.",
    "extends: _base/missing.yaml\n", "extends: _base/voice.yaml\n")
JSON_SYNTAX = Code("SWC008", "json-syntax", E,
    "The file is not JSON as RFC 8259 defines it: swmlc reads JSON strictly, as the platform "
    "does (no NaN or Infinity, no comments or trailing commas, no raw line break or tab inside a "
    "string, no number too large for a double). `validate` and `import` read it the same way.",
    '{"prompt": {"text": "Line one\n<a raw line break>line two"}, "temperature": NaN}\n',
    '{"prompt": {"text": "Line one\\nline two"}, "temperature": 0.5}\n')

UNKNOWN_KEY = Code("SWC101", "unknown-key", E,
    "A key that the definition format does not have at this place; usually a typo.",
    "prompt:\n  txt: Hello\n", "prompt:\n  text: Hello\n")
WRONG_TYPE = Code("SWC102", "wrong-type", E, "A value of the wrong type.",
    "hints: Acme\n", "hints: [Acme]\n")
MISSING_KEY = Code("SWC103", "missing-key", E, "A required key is missing.",
    "functions:\n  - function: transfer\n",
    "functions:\n  - function: transfer\n    description: Transfer the caller\n")
BAD_VALUE = Code("SWC104", "bad-value", E,
    "A value outside what the field accepts (an enum, a range, a pattern).",
    "native_functions: [check_tim]\n", "native_functions: [check_time]\n")
BAD_AGENT_NAME = Code("SWC105", "bad-agent-name", E,
    "An agent name must be usable as a file name: letters, digits, '.', '_' and '-'.",
    "agent: acme support\n", "agent: acme-support\n")
DUPLICATE_AGENT = Code("SWC106", "duplicate-agent", E,
    "Two definitions compile to the same agent name, so one output would overwrite the other.",
    "# a.yaml and b.yaml both say\nagent: support\n", "agent: support-a\n")
ONE_OF = Code("SWC107", "conflicting-keys", E,
    "Two keys that exclude each other, or none of a required pair.",
    "prompt:\n  text: Hi\n  sections: [{title: A, body: B}]\n", "prompt:\n  text: Hi\n")
RESERVED_SECTION = Code("SWC108", "reserved-section", E,
    "swml.sections may not define `main`: the ai verb lives there; use swml.before/after.",
    "swml:\n  sections:\n    main: [{hangup: {}}]\n", "swml:\n  after: [{hangup: {}}]\n")

EXTENDS_CYCLE = Code("SWC201", "composition-cycle", E,
    "extends/include/use form a cycle (a file reaches itself), or a chain longer than "
    "limits.compose_depth (64 files).",
    "# a.yaml\nextends: b.yaml\n# b.yaml\nextends: a.yaml\n", "# b.yaml: no extends\n")
PATH_ESCAPE = Code("SWC202", "path-escape", E,
    "A path (extends, include, use, {% include %}, file(), instances) resolves outside the "
    "project root, by '..' or through a symlink. Builds must depend on the repository only.",
    "extends: ../../other-repo/base.yaml\n", "extends: _base/voice.yaml\n")
BAD_TAG = Code("SWC203", "bad-merge-tag", E,
    "A merge tag used where it has no meaning (!append on a mapping, !delete on a value).",
    "prompt: !append {text: x}\n", "hints: !append [Acme]\n")
MISSING_FILE = Code("SWC204", "missing-file", E,
    "extends/include/use/instances names a file that does not exist.",
    "include: [_shared/hint.yaml]\n", "include: [_shared/hints.yaml]\n")
UNKNOWN_LIBRARY_FUNCTION = Code("SWC205", "unknown-library-function", E,
    "`use: file#name` names a function the library does not define.",
    "functions:\n  - use: _functions/orders.yaml#lookup_ordr\n",
    "functions:\n  - use: _functions/orders.yaml#lookup_order\n")
BAD_LIBRARY = Code("SWC206", "bad-function-library", E,
    "A function library must be a list of SWAIG functions, each with a `function` name.",
    "# _functions/orders.yaml\nlookup_order: {description: x}\n",
    "# _functions/orders.yaml\n- function: lookup_order\n  description: Look up an order\n")
BAD_INSTANCES = Code("SWC207", "bad-instances", E,
    "A fleet's instances file must be a CSV with a header row, or a YAML list of mappings.",
    "instances: clinics.txt\n", "instances: _fleet/clinics.csv\n")
WEBHOOK_WITHOUT_BASE = Code("SWC208", "webhook-without-base-url", E,
    "`webhook: /path` is joined to swaig.base_url in swmlc.yaml, which is not set.",
    "functions:\n  - function: f\n    description: d\n    webhook: /f\n",
    "# swmlc.yaml\nswaig:\n  base_url: https://tools.example.com/swaig\n")

UNDEFINED_VARIABLE = Code("SWC301", "undefined-variable", E,
    "A template names a variable that no layer, --vars-file or --var defines.",
    "vars: {company: Acme}\nprompt: {text: 'Welcome to {{ compnay }}'}\n",
    "vars: {company: Acme}\nprompt: {text: 'Welcome to {{ company }}'}\n")
TEMPLATE_SYNTAX = Code("SWC302", "template-syntax", E, "A Jinja template does not parse.",
    "prompt: {text: 'Hello {{ name }'}\n", "prompt: {text: 'Hello {{ name }}'}\n")
TEMPLATE_ERROR = Code("SWC303", "template-error", E,
    "A template failed while rendering (a filter on the wrong type, a division by zero...).",
    "prompt: {text: '{{ 1 / 0 }}'}\n", "prompt: {text: '{{ 1 / 2 }}'}\n")
SANDBOX = Code("SWC304", "template-sandbox", E,
    "A template tried something the sandbox forbids (private attributes, unsafe calls).",
    "prompt: {text: '{{ ().__class__ }}'}\n", "prompt: {text: '{{ company | upper }}'}\n")
ENV_NOT_ALLOWED = Code("SWC305", "env-not-allowed", E,
    "env('NAME') for a name not listed under `env:` in swmlc.yaml, or unset with no default.",
    "post_prompt_url: \"{{ env('HOME') }}\"\n",
    "# swmlc.yaml\nenv: [POST_PROMPT_URL]\n"
    "# agent\npost_prompt_url: \"{{ env('POST_PROMPT_URL') }}\"\n")
SECRET_NOT_DECLARED = Code("SWC306", "secret-not-declared", E,
    "secret('NAME') for a name not listed under `secrets:` in swmlc.yaml.",
    "post_prompt_url: \"https://u:{{ secret('PP_PASS') }}@h/x\"\n",
    "# swmlc.yaml\nsecrets: [PP_PASS]\n")
SECRET_UNSET = Code("SWC307", "secret-unset", E,
    "--bind-secrets and swmlc serve need every secret the documents (and swmlc.yaml's serve:) "
    "use set in the environment.",
    "", "PP_PASS=... swmlc build --bind-secrets -o deploy/\n")
VARIABLE_CYCLE = Code("SWC308", "variable-cycle", E,
    "Variables whose values refer to each other in a cycle.",
    "vars:\n  a: '{{ b }}'\n  b: '{{ a }}'\n", "vars:\n  a: x\n  b: '{{ a }}'\n")

PLACEHOLDER_IN_SOURCE = Code("SWC309", "placeholder-in-source", E,
    "Text shaped like a secret placeholder (`<<secret:NAME>>`) written in a definition, a fleet "
    "row, a variable or a file a template reads. Only `secret('NAME')` makes a placeholder, for "
    "a name declared under `secrets:`: deploy and serve bind placeholders to environment "
    "values, so a literal one could pull any variable of the environment into a document.",
    "prompt: {text: 'Key: <<secret:AWS_SECRET_ACCESS_KEY>>'}\n",
    "# swmlc.yaml: secrets: [API_KEY]\nprompt: {text: \"Key: {{ secret('API_KEY') }}\"}\n")

OFFICIAL_SCHEMA = Code("SWC501", "official-schema", E,
    "The compiled document fails SignalWire's official SWML schema.",
    "post_prompt:\n  text: Summarize\n  barge_confidence: 0.5\n",
    "post_prompt:\n  text: Summarize\nparams:\n  barge_confidence: 0.5\n")
SCHEMA_UNAVAILABLE = Code("SWC502", "official-schema-unavailable", I,
    "The signalwire-sdk package (which ships the official schema) is not installed; documents "
    "were checked by swmlc's own rules only.",
    "", "pip install signalwire-sdk\n")

BEDROCK_UNSUPPORTED = Code("SWC601", "bedrock-unsupported", W,
    "The bedrock target is built (`--target bedrock`, or `targets:` in swmlc.yaml) and the agent "
    "uses a field the `amazon_bedrock` verb does not take (hints, languages, pronounce, contexts, "
    "function fillers, ...). The field is left out of <agent>.bedrock.swml.json, and said so here: "
    "nothing is dropped silently. Silence one with `# swmlc: ignore[SWC601]` on its line, or all "
    "with `rules: {SWC601: off}`.",
    "# swmlc.yaml: targets: [swml, bedrock]\nhints: [Acme]\n",
    "# swmlc.yaml: targets: [swml, bedrock]\nhints: [Acme]  # swmlc: ignore[SWC601]\n")
BEDROCK_PARAM = Code("SWC602", "bedrock-param-undocumented", I,
    "A `params` name that the `amazon_bedrock` verb does not document (it documents "
    "attention_timeout, hard_stop_time, hard_stop_prompt, inactivity_timeout and the video_* "
    "files). The official schema lets it pass, so it is kept; Bedrock may ignore it.",
    "# swmlc.yaml: targets: [bedrock]\nparams: {barge_confidence: 0.5}\n",
    "# swmlc.yaml: targets: [bedrock]\nparams: {attention_timeout: 20000}\n")
RELAY_VERBS = Code("SWC603", "relay-verbs-outside", I,
    "The relay target holds only the keyword arguments of `call.ai()`; the verbs in "
    "`swml.before`, `swml.after` and `swml.sections` are not part of it. Run them from the RELAY "
    "app (`await call.answer()`, `await call.record_call(...)`).",
    "# swmlc.yaml: targets: [relay]\nswml:\n  after: [{hangup: {}}]\n",
    "# swmlc.yaml: targets: [relay]\nprompt: {text: Hi}\n")
IMPORT_NO_AI = Code("SWC611", "import-no-ai-verb", E,
    "`swmlc import` turns a SWML document with exactly one `ai` verb in `sections.main` into an "
    "agent definition; this document has none (or several, or it sits in another section).",
    "version: 1.0.0\nsections:\n  main: [{play: {url: 'say:Hello'}}]\n",
    "version: 1.0.0\nsections:\n  main: [{ai: {prompt: {text: Hello}}}]\n")
IMPORT_UNSUPPORTED = Code("SWC612", "import-unsupported", E,
    "The SWML document holds something swmlc's source format cannot express (a key outside the "
    "`ai` verb's documented fields, a non-standard SWAIG entry, a second top-level key). The "
    "definition is not written: a partial import would compile to a different agent.",
    "sections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n        voice: en-US-Neural2-F\n",
    "sections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n"
    "        languages: [{name: English, code: en-US, voice: gcloud.en-US-Neural2-F}]\n")
IMPORT_MIGRATED = Code("SWC613", "import-migrated", W,
    "`swmlc import` rewrote a form the official schema refuses but the platform reads the same "
    "way as an accepted one, and says what changed, at its line: a missing `version`, a verb "
    "written as a bare string, a bare string prompt, `purpose`/`argument`, `parameters` "
    "without `properties`, credentials written beside a URL (`*_auth_*`, an include's "
    "`user`/`pass`), a language's legacy `language`, the SDKs' `functions: \"none\"` and "
    "`barge_confidence` in a prompt, a data_map-level `error_keys`, an empty `post_prompt`, "
    "booleans and numbers written as strings (docs/import.md lists them all).",
    "functions:\n  - function: f\n    purpose: Look up an order\n",
    "functions:\n  - function: f\n    description: Look up an order\n")
IMPORT_REFUSED = Code("SWC614", "import-refused", E,
    "After every migration the document still fails SignalWire's official SWML schema, so its "
    "definition would not build. Fix the document (or the definition by hand) and import again.",
    "sections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n"
    "        params: {attention_timeout: 5}\n",
    "sections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n"
    "        params: {attention_timeout: 20000}\n")
IMPORT_SECRET = Code("SWC615", "import-secret", W,
    "Credentials found in a document (in a URL: `user:password@`, `?__token=`, `key=`, "
    "`apikey=`, `token=`; in a header: `Authorization`, `X-Api-Key`; in `meta_data`; or in "
    "`*_auth_user`/`*_auth_password`) are written into the project as declared secrets, "
    "`{{ secret('NAME') }}`, never as text; one warning per document lists them. Set their "
    "values where the build is deployed (`swmlc build --bind-secrets`).",
    "post_prompt_url: https://user:hunter2@hooks.example.com/summary\n",
    "post_prompt_url: https://{{ secret('POST_PROMPT_USER') }}:"
    "{{ secret('POST_PROMPT_PASSWORD') }}@hooks.example.com/summary\n")
IMPORT_CONFLICT = Code("SWC616", "import-conflict", E,
    "The definition an import would write already exists (use --force to overwrite it), or two "
    "input documents would be written to the same definition.",
    "swmlc import SWML.json SWML.yaml\n", "swmlc import SWML.json -o agents/\n")

TEST_FILE = Code("SWC701", "test-file", E,
    "A test file (*.test.yaml) is not valid: a key its schema (schemas/agent-test.schema.json) "
    "does not know, a value of the wrong type, or a name (agent, function, step, context) the "
    "agent does not have.",
    "agent: weather\ncases:\n  - name: Austin\n    function: get_wether\n",
    "agent: weather\ncases:\n  - name: Austin\n    function: get_weather\n"
    "    args: {city: Austin}\n")
HTTP_FIXTURE = Code("SWC702", "http-fixture", E,
    "An HTTP fixture file is not valid (schemas/http-fixtures.schema.json): a request without a "
    "url, a response with both json and body, a url_pattern that does not compile.",
    "fixtures:\n  - request: {method: GET}\n    response: {json: {temp: 70}}\n",
    "fixtures:\n  - request: {method: GET, url: 'https://api.example/w?q=Austin'}\n"
    "    response: {json: {temp: 70}}\n")
UNKNOWN_AGENT = Code("SWC703", "unknown-agent", E,
    "`swmlc exec`, `test` or `graph` names an agent the project does not build.",
    "swmlc exec wether get_weather --arg city=Austin\n",
    "swmlc exec weather get_weather --arg city=Austin\n")
UNKNOWN_FUNCTION = Code("SWC704", "unknown-function", E,
    "`swmlc exec` or a test case names a function the agent does not have, or one swmlc cannot "
    "run here: a native function, or one fetched at call time through swaig_includes.",
    "swmlc exec weather get_wether\n", "swmlc exec weather get_weather --arg city=Austin\n")
NO_FIXTURE = Code("SWC705", "no-fixture", E,
    "A function sent a request that no HTTP fixture answers (runs without --live never reach "
    "the network).",
    "swmlc exec weather get_weather --arg city=Austin\n",
    "swmlc exec weather get_weather --arg city=Austin --http tests/agents/fixtures/wttr.yaml"
    "\n")
TEST_FAILED = Code("SWC706", "test-failed", E,
    "A test case's expectation was not met; the diagnostic points at the expectation, and its "
    "notes show what the run gave instead.",
    "expect:\n  response: {contains: Sunny}\n", "expect:\n  response: {contains: Right now}\n")
COVERAGE_BELOW = Code("SWC707", "coverage-below", E,
    "`swmlc test --min-coverage N` found an agent whose expressions, webhooks, outputs and steps "
    "the tests reach less than N percent of; each unreached one is listed.",
    "swmlc test --min-coverage 100   # a step no case visits\n",
    "swmlc test --min-coverage 100   # every branch and step visited\n")
BAD_ARGUMENTS = Code("SWC708", "bad-arguments", W,
    "Arguments for a function that its parameters do not declare, or without one they require: "
    "the model, which follows the parameters, would not send them.",
    "swmlc exec weather get_weather --arg town=Austin\n",
    "swmlc exec weather get_weather --arg city=Austin\n")
SWAIG_REPLY = Code("SWC709", "swaig-reply", W,
    "A web_hook_url answered with JSON the platform does not read as a SWAIG reply: no "
    "`response`, a key besides response, action and post_process, or an action it does not "
    "know. The model then misses what the server meant it to get.",
    '{"responce": "Transferring you.", "action": [{"transfer_to": "+15551234567"}]}\n',
    '{"response": "Transferring you.", "action": [{"SWML": {"sections": {"main": '
    '[{"connect": {"to": "+15551234567"}}]}}, "transfer": "true"}]}\n')

IMPORT_TODO = Code("SWC617", "import-todo", W,
    "`swmlc import` left a `# swmlc: TODO` comment in what it wrote: a finding of swmlc's "
    "checks in the original agent (a step naming a function that does not exist, a "
    "`${global_data.x}` nothing sets), silenced with `# swmlc: ignore[...]` where it is, since "
    "the platform runs the agent so today and the import is exact; or, with `--keep-going`, a "
    "fault outside the `ai` verb kept as written, which the build refuses until it is fixed.",
    "swmlc import legacy/ --keep-going -o project/\n",
    "# fix each '# swmlc: TODO' in project/agents/, then: swmlc build\n")
STALE_BUILD = Code("SWC910", "stale-build", E,
    "build/ does not match what the sources compile to: an output is stale, missing, or "
    "orphaned (its agent is gone).",
    "# agents/support.yaml edited, build/ not rebuilt\n", "swmlc build && git add build/\n")
DEPLOY_NOT_IGNORED = Code("SWC911", "deploy-folder-not-ignored", W,
    "`--bind-secrets -o DIR` wrote secret values into a folder inside the repository that git "
    "does not ignore: one `git add .` would commit them. Ignore the folder (.gitignore) or write "
    "the deploy copies outside the repository.",
    "swmlc build --bind-secrets -o deploy/   # deploy/ not in .gitignore\n",
    "echo deploy/ >> .gitignore && swmlc build --bind-secrets -o deploy/\n")
UNKNOWN_OUTPUT = Code("SWC912", "unknown-file-in-build", W,
    "A file in the build folder is named like an output but no manifest says swmlc wrote it "
    "(the manifest was lost, or the file was put there by hand). A build removes only the files "
    "it wrote, so it is left alone: delete it if it is stale (`swmlc check` calls it orphaned).",
    "# build/legacy.swml.json, not in build/manifest.json\n",
    "rm build/legacy.swml.json\n")
OUTPUT_TOO_LARGE = Code("SWC913", "output-too-large", E,
    "A compiled document is larger than limits.output_bytes (10 MB by default): far beyond "
    "any real agent, and likely a mistake (a list or a prompt generated without end). Nothing "
    "is written.",
    "hints: \"{{ range(999999) | list }}\"\n", "hints: [Acme, swimmel]\n")
NO_AGENTS = Code("SWC901", "no-agents", W, "No agent definitions were found where swmlc looked.",
    "", "")
PROJECT_CONFIG = Code("SWC902", "project-config", E, "swmlc.yaml is not valid.",
    "agents_dir: 3\n", "agents: agents\n")
PATH_NOT_FOUND = Code("SWC903", "path-not-found", E, "A path given on the command line does not "
    "exist.", "", "")
SERVE_NO_CREDENTIALS = Code("SWC920", "serve-no-credentials", E,
    "swmlc serve answers with your agents' documents, their secrets bound: it needs basic-auth "
    "credentials, from swmlc.yaml's serve.auth or from SWML_BASIC_AUTH_USER and "
    "SWML_BASIC_AUTH_PASSWORD in the environment (--no-auth, to serve behind a proxy that "
    "authenticates, is the only way around).",
    "# swmlc.yaml: no serve.auth, and no SWML_BASIC_AUTH_* set\n",
    "# swmlc.yaml\nsecrets: [SERVE_PASSWORD]\nserve:\n  auth:\n    user: ops\n"
    "    password: \"{{ secret('SERVE_PASSWORD') }}\"\n")
