// Huawei Cloud ModelArts development environments: DevServer (a GPU/NPU development machine with a declared power state) and NotebookAutoStop (the auto-stop policy of a notebook).
package modelarts
