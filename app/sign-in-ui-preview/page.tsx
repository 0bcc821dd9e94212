import { PlusIcon, CircleAlertIcon } from "lucide-react";

import { AppShell } from "@/components/app-shell/app-shell";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { PreviewForm } from "./preview-form";

const people = [
  { name: "Ada Lovelace", email: "ada@analytical.io", company: "Analytical Engines", stage: "Customer" },
  { name: "Grace Hopper", email: "grace@navy.mil", company: "US Navy", stage: "Lead" },
  { name: "Alan Turing", email: "alan@bletchley.uk", company: "Bletchley Park", stage: "Qualified" },
  { name: "Katherine Johnson", email: "kj@nasa.gov", company: "NASA", stage: "Customer" },
];

export default async function Preview({ searchParams }: { searchParams: Promise<{ role?: string }> }) {
  const { role } = await searchParams;
  async function signOut() {
    "use server";
  }
  return (
    <AppShell
      user={{ name: "Morgan Reyes", email: "morgan@acme.com" }}
      org={{ name: "Acme Inc." }}
      role={role === "member" ? "member" : "owner"}
      signOutAction={signOut}
    >
      <div className="grid gap-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="grid gap-1">
            <h1 className="text-2xl font-semibold tracking-tight">People</h1>
            <p className="text-sm text-muted-foreground">Everyone your team talks to, in one list.</p>
          </div>
          <div className="flex gap-2">
            <Button variant="outline">Import</Button>
            <Button>
              <PlusIcon aria-hidden /> New person
            </Button>
          </div>
        </div>
        <div className="grid gap-4 md:grid-cols-3">
          {[
            ["Open deals", "24", "+3 this week"],
            ["Pipeline value", "$182,400", "Across 4 stages"],
            ["Tasks due today", "7", "2 overdue"],
          ].map(([label, value, hint]) => (
            <Card key={label} className="gap-2">
              <CardHeader>
                <CardDescription>{label}</CardDescription>
                <CardTitle className="text-2xl tabular-nums">{value}</CardTitle>
                <CardAction>
                  <Badge variant="outline">{hint}</Badge>
                </CardAction>
              </CardHeader>
            </Card>
          ))}
        </div>
        <Tabs defaultValue="all">
          <TabsList>
            <TabsTrigger value="all">All people</TabsTrigger>
            <TabsTrigger value="mine">Assigned to me</TabsTrigger>
            <TabsTrigger value="form">Form</TabsTrigger>
          </TabsList>
          <TabsContent value="all">
            <Card className="py-0">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="w-10 pl-4">
                      <Checkbox aria-label="Select all" />
                    </TableHead>
                    <TableHead>Name</TableHead>
                    <TableHead>Email</TableHead>
                    <TableHead>Company</TableHead>
                    <TableHead>Stage</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {people.map((p) => (
                    <TableRow key={p.email}>
                      <TableCell className="pl-4">
                        <Checkbox aria-label={`Select ${p.name}`} />
                      </TableCell>
                      <TableCell className="font-medium">{p.name}</TableCell>
                      <TableCell className="text-muted-foreground">{p.email}</TableCell>
                      <TableCell>{p.company}</TableCell>
                      <TableCell>
                        <Badge variant={p.stage === "Customer" ? "default" : "secondary"}>{p.stage}</Badge>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Card>
          </TabsContent>
          <TabsContent value="mine">
            <div className="grid gap-2">
              <Skeleton className="h-8 w-1/3" />
              <Skeleton className="h-8 w-2/3" />
            </div>
          </TabsContent>
          <TabsContent value="form">
            <PreviewForm />
          </TabsContent>
        </Tabs>
        <div className="grid gap-4 md:grid-cols-2">
          <Alert>
            <CircleAlertIcon />
            <AlertTitle>Heads up</AlertTitle>
            <AlertDescription>Imports run in the background; we email you when they finish.</AlertDescription>
          </Alert>
          <Alert variant="destructive">
            <CircleAlertIcon />
            <AlertTitle>Import failed</AlertTitle>
            <AlertDescription>Row 14 is missing an email address.</AlertDescription>
          </Alert>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Buttons & inputs</CardTitle>
            <CardDescription>Every variant, for the contrast check.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <div className="flex flex-wrap gap-2">
              <Button>Default</Button>
              <Button variant="secondary">Secondary</Button>
              <Button variant="outline">Outline</Button>
              <Button variant="ghost">Ghost</Button>
              <Button variant="destructive">Delete</Button>
              <Button variant="link">Link</Button>
              <Button size="sm">Small</Button>
              <Button size="lg">Large</Button>
              <Badge variant="destructive">Overdue</Badge>
            </div>
            <div className="grid max-w-sm gap-2">
              <Label htmlFor="preview-email">Email</Label>
              <Input id="preview-email" placeholder="you@example.com" />
            </div>
            <div className="flex items-center gap-2">
              <Checkbox id="preview-terms" defaultChecked />
              <Label htmlFor="preview-terms">Email me a weekly digest</Label>
            </div>
          </CardContent>
        </Card>
      </div>
    </AppShell>
  );
}
