/**
 * The notebook API families, one module each (as resources/notebookAutoStop has one implementation
 * each): `current` (/notebooks: the notebook and its lease), `demanager` (/demanager/instances: the
 * legacy instance and its spec.auto_stop), and `shared` (the statuses and their classes; its body
 * helpers stay inside the folder).
 */
export { classifyNotebookStatus, NOTEBOOK_STATUS_CLASSES, NOTEBOOK_STATUSES } from "./shared";
export type { NotebookStatus, NotebookStatusClass } from "./shared";
export * from "./current";
export * from "./demanager";
