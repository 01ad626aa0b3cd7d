export { check, diff, create, read, update, remove } from "./operations";
export type { NotebookDeclaredInputs, NotebookInputs, NotebookState } from "./fields";
export { notebookShape } from "./fields";
