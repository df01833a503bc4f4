// k8s-yaml reads YAML texts exactly as the Kubernetes API machinery, kubectl and Helm do: through
// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) to JSON. It is the independent reader that the tests
// compare the project's output with.
//
// stdin: a JSON array of YAML texts; stdout: a JSON array with, for each text, {"json": "..."} or
// {"error": "..."}.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"sigs.k8s.io/yaml"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var texts []string
	if err := json.Unmarshal(in, &texts); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-yaml: stdin must be a JSON array of strings:", err)
		os.Exit(2)
	}
	out := make([]map[string]string, len(texts))
	for i, text := range texts {
		converted, err := yaml.YAMLToJSON([]byte(text))
		if err != nil {
			out[i] = map[string]string{"error": err.Error()}
		} else {
			out[i] = map[string]string{"json": string(converted)}
		}
	}
	encoded, _ := json.Marshal(out)
	os.Stdout.Write(encoded)
}
