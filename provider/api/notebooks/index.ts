/**
 * The notebook API families, one module each (as resources/notebookAutoStop has one implementation
 * each): `current` (/notebooks: the notebook, its lease, the list), `demanager`
 * (/demanager/instances: the legacy instance, its spec.auto_stop, the list), and `shared` (the
 * statuses and their classes; its body helpers stay inside the folder).
 */
export { classifyNotebookStatus, NOTEBOOK_STATUS_CLASSES, NOTEBOOK_STATUSES } from "./shared";
export type { NotebookStatus, NotebookStatusClass } from "./shared";
export * from "./current";
export * from "./demanager";
