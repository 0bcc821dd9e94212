"use client";

import { BookmarkIcon, CheckIcon, ChevronDownIcon, PencilIcon, SaveIcon, Trash2Icon, UsersIcon } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createView, deleteView, type ListState, renameView, sameListState, toViewState, updateViewState } from "@/modules/crm/lists/ui";
import type { ObjectType, SavedView } from "./types";

type Dialogs = { kind: "save" } | { kind: "rename"; view: SavedView } | { kind: "delete"; view: SavedView } | null;

function ViewNameDialog(props: {
  title: string;
  description: string;
  submitLabel: string;
  initialName: string;
  initialShared: boolean;
  /** Sharing can only be changed by whoever may edit the view. */
  onSubmit: (name: string, shared: boolean) => Promise<{ ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string> }>;
  onClose: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(props.initialName);
  const [shared, setShared] = useState(props.initialShared);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  return (
    <Dialog open onOpenChange={(open) => !open && props.onClose()}>
      <DialogContent>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) {
              setError("Enter a name for the view");
              return;
            }
            start(async () => {
              const r = await props.onSubmit(name.trim(), shared);
              if (!r.ok) setError(r.fieldErrors?.name ?? r.error);
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogDescription>{props.description}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-name`}>Name</Label>
            <Input
              id={`${id}-name`}
              value={name}
              maxLength={80}
              autoFocus
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
              aria-invalid={!!error}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            {error ? (
              <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
                {error}
              </p>
            ) : null}
          </div>
          <div className="flex items-center gap-2">
            <Checkbox id={`${id}-shared`} checked={shared} onCheckedChange={(v) => setShared(v === true)} />
            <Label htmlFor={`${id}-shared`} className="font-normal">
              Share with the team
            </Label>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {props.submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** My views / Shared views: apply, save the current list, update, rename, delete. */
export function ViewsMenu(props: {
  objectType: ObjectType;
  views: SavedView[];
  state: ListState;
  onApply: (view: SavedView | null) => void;
  onSaved: (id: string) => void;
  onChanged: () => void;
}) {
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [pending, start] = useTransition();
  const current = props.views.find((v) => v.id === props.state.view) ?? null;
  const mine = props.views.filter((v) => v.mine);
  const shared = props.views.filter((v) => !v.mine);
  const changed = current ? !sameListState({ ...current.state, filters: current.state.filters ?? [] }, props.state) : false;

  function item(v: SavedView) {
    const active = v.id === current?.id;
    return (
      <DropdownMenuItem key={v.id} onSelect={() => props.onApply(v)} aria-current={active ? "true" : undefined}>
        <CheckIcon aria-hidden className={active ? "opacity-100" : "opacity-0"} />
        <span className="truncate">{v.name}</span>
        {v.shared && v.mine ? <UsersIcon aria-label="Shared" className="ml-auto text-muted-foreground" /> : null}
        {!v.mine ? <span className="ml-auto truncate pl-2 text-xs text-muted-foreground">{v.ownerName}</span> : null}
      </DropdownMenuItem>
    );
  }

  return (
    <>
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" disabled={pending}>
            <BookmarkIcon aria-hidden />
            <span className="max-w-40 truncate">{current ? current.name : "Views"}</span>
            {changed ? <span className="text-muted-foreground">(edited)</span> : null}
            <ChevronDownIcon aria-hidden className="opacity-60" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuGroup>
            <DropdownMenuLabel>My views</DropdownMenuLabel>
            {mine.length ? mine.map(item) : <p className="px-2 py-1.5 text-sm text-muted-foreground">No saved views yet</p>}
          </DropdownMenuGroup>
          {shared.length ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuGroup>
                <DropdownMenuLabel>Shared views</DropdownMenuLabel>
                {shared.map(item)}
              </DropdownMenuGroup>
            </>
          ) : null}
          <DropdownMenuSeparator />
          {current ? <DropdownMenuItem onSelect={() => props.onApply(null)}>Leave view</DropdownMenuItem> : null}
          <DropdownMenuItem onSelect={() => setDialog({ kind: "save" })}>
            <SaveIcon aria-hidden />
            Save view…
          </DropdownMenuItem>
          {current?.editable && changed ? (
            <DropdownMenuItem
              onSelect={() =>
                start(async () => {
                  const r = await updateViewState({ id: current.id, state: toViewState(props.state) });
                  if (r.ok) {
                    toast.success(`View "${current.name}" updated`);
                    props.onChanged();
                  } else toast.error(r.error);
                })
              }
            >
              <SaveIcon aria-hidden />
              Update &ldquo;{current.name}&rdquo;
            </DropdownMenuItem>
          ) : null}
          {current?.editable ? (
            <>
              <DropdownMenuItem onSelect={() => setDialog({ kind: "rename", view: current })}>
                <PencilIcon aria-hidden />
                Rename or share…
              </DropdownMenuItem>
              <DropdownMenuItem variant="destructive" onSelect={() => setDialog({ kind: "delete", view: current })}>
                <Trash2Icon aria-hidden />
                Delete view…
              </DropdownMenuItem>
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>

      {dialog?.kind === "save" ? (
        <ViewNameDialog
          title="Save view"
          description="Saves the current search, filters, sort and columns."
          submitLabel="Save view"
          initialName=""
          initialShared={false}
          onClose={() => setDialog(null)}
          onSubmit={async (name, isShared) => {
            const r = await createView({ objectType: props.objectType, name, shared: isShared, state: toViewState(props.state) });
            if (!r.ok) return r;
            toast.success(`View "${name}" saved`);
            setDialog(null);
            props.onSaved(r.data.id);
            return { ok: true };
          }}
        />
      ) : null}

      {dialog?.kind === "rename" ? (
        <ViewNameDialog
          title="Rename view"
          description={dialog.view.mine ? "Shared views are visible to everyone in the team." : `A view by ${dialog.view.ownerName}.`}
          submitLabel="Save"
          initialName={dialog.view.name}
          initialShared={dialog.view.shared}
          onClose={() => setDialog(null)}
          onSubmit={async (name, isShared) => {
            const r = await renameView({ id: dialog.view.id, name, shared: isShared });
            if (!r.ok) return r;
            toast.success("View saved");
            setDialog(null);
            props.onChanged();
            return { ok: true };
          }}
        />
      ) : null}

      {dialog?.kind === "delete" ? (
        <AlertDialog open onOpenChange={(open) => !open && setDialog(null)}>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete the view &ldquo;{dialog.view.name}&rdquo;?</AlertDialogTitle>
              <AlertDialogDescription>
                {dialog.view.shared ? "It disappears for everyone in the team. " : ""}The records themselves are not affected.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                disabled={pending}
                onClick={(e) => {
                  e.preventDefault();
                  start(async () => {
                    const r = await deleteView({ id: dialog.view.id });
                    if (r.ok) {
                      toast.success("View deleted");
                      setDialog(null);
                      props.onApply(null);
                    } else toast.error(r.error);
                  });
                }}
              >
                Delete view
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : null}
    </>
  );
}
