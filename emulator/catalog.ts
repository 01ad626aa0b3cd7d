/**
 * The catalogue routes (read-only lists: flavors and images), served beside the resource families
 * after the same authentication, project check and rate limit. They are matched before the
 * families: `dev-servers/flavors` is a catalogue, not a server named "flavors".
 */
import * as catalog from "./model/catalog";

type Query = Record<string, string | string[]>;

/** Path (after `/v1/{project_id}`) -> the list it answers, for GET. */
const ROUTES: Readonly<Record<string, (q: Query) => unknown>> = {
    "dev-servers/flavors": catalog.listDevServerFlavors,
    "dev-servers/images": catalog.listDevServerImages,
    "notebooks/flavors": catalog.listNotebookFlavors,
    images: catalog.listNotebookImages,
};

/** The catalogue list a GET of `path` answers, or undefined when the path is not a catalogue's. */
export function catalogAt(method: string, path: readonly string[]): ((q: Query) => unknown) | undefined {
    return method === "GET" ? ROUTES[path.join("/")] : undefined;
}
