// App Bridge's contextual save bar for a settings form inside Shopify's admin (Shopify's review checks it;
// https://shopify.dev/docs/api/app-bridge-library/react-components/savebar-component). Wraps one form: the bar shows
// while the form's values differ from what it opened with; the admin's Save submits the form (its own submit, so
// validation and errors are the page's), Discard brings back the stored values. Outside Shopify (CCV Shop,
// Mijnwebwinkel, Koppel's own pages) it renders only the form: the form's Polaris save button is the way to save.
import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useActionData, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { useEmbedded } from "~/components/use-embedded";

/** The form's values as one comparable string (hidden inputs included: they carry controlled state). */
function formValues(form: HTMLFormElement | null): string {
  if (!form) return "";
  const out: string[] = [];
  new FormData(form).forEach((v, k) => out.push(`${k}=${typeof v === "string" ? v : v.name}`));
  return out.join("&");
}

type Props = {
  id: string;
  children: ReactNode;
  /** For a form whose state the page holds: put the stored values back (the remount does it for the form's own). */
  onDiscard?: () => void;
};

export function SettingsSaveBar(props: Props) {
  const embedded = useEmbedded();
  if (!embedded) return <>{props.children}</>;
  return <EmbeddedSaveBar {...props} />;
}

function EmbeddedSaveBar({ id, children, onDiscard }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const saved = useRef("");
  const [dirty, setDirty] = useState(false);
  // Discard remounts the form, so its fields start again from the stored values it is given.
  const [generation, setGeneration] = useState(0);
  const [resetAfterLoad, setResetAfterLoad] = useState(false);
  const navigation = useNavigation();
  const navigate = useNavigate();
  const location = useLocation();
  const actionData = useActionData() as { intent?: unknown; saved?: unknown; ok?: unknown } | undefined;

  const form = () => box.current?.querySelector("form") ?? null;
  const intent = () => (form()?.elements.namedItem("intent") as HTMLInputElement | null)?.value;
  const check = useCallback(() => setDirty(formValues(box.current?.querySelector("form") ?? null) !== saved.current), []);

  // What the form opened with (again after a discard) is the stored state.
  useEffect(() => {
    saved.current = formValues(form());
    setDirty(false);
  }, [generation]);

  // A successful save of this form: what it holds now is stored.
  useEffect(() => {
    if (actionData && actionData.intent === intent() && (actionData.saved === true || actionData.ok === true)) {
      saved.current = formValues(form());
      setDirty(false);
    } else check();
  }, [actionData, check]);

  // Controlled fields update their hidden inputs on the render after the event: compare once it is committed.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const later = () => setTimeout(check, 0);
    el.addEventListener("input", later);
    el.addEventListener("change", later);
    el.addEventListener("click", later);
    return () => {
      el.removeEventListener("input", later);
      el.removeEventListener("change", later);
      el.removeEventListener("click", later);
    };
  }, [check]);

  // After a failed save the page shows the submitted values (the action's answer): the page is loaded again to
  // drop that answer, then the form is remounted with the stored values.
  useEffect(() => {
    if (resetAfterLoad && !actionData && navigation.state === "idle") {
      setResetAfterLoad(false);
      onDiscard?.();
      setGeneration((g) => g + 1);
    }
  }, [resetAfterLoad, actionData, navigation.state, onDiscard]);

  const save = () => form()?.requestSubmit();
  const discard = () => {
    setDirty(false);
    if (actionData) {
      setResetAfterLoad(true);
      navigate(`${location.pathname}${location.search}`, { replace: true, preventScrollReset: true });
    } else {
      onDiscard?.();
      setGeneration((g) => g + 1);
    }
  };
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === intent();

  return (
    <div ref={box}>
      <Fragment key={generation}>{children}</Fragment>
      <SaveBar id={id} open={dirty}>
        {/* App Bridge hooks the admin's Save (variant primary) and Discard buttons to these; they show nothing here. */}
        <button variant="primary" onClick={save} {...(saving ? { loading: "" } : {})}></button>
        <button onClick={discard} disabled={saving}></button>
      </SaveBar>
    </div>
  );
}
