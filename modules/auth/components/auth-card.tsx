import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

/** The card every signed-out page is built from. */
export function AuthCard(props: {
  title: string;
  description?: React.ReactNode;
  footer?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold leading-none tracking-tight">{props.title}</h1>
        {props.description ? <CardDescription>{props.description}</CardDescription> : null}
      </CardHeader>
      <CardContent className="grid gap-4">{props.children}</CardContent>
      {props.footer ? <CardFooter className="justify-center text-sm text-muted-foreground">{props.footer}</CardFooter> : null}
    </Card>
  );
}

/** Between signing in with Google and with an email address. */
export function Divider() {
  return (
    <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden>
      <span className="h-px flex-1 bg-border" />
      or with email
      <span className="h-px flex-1 bg-border" />
    </div>
  );
}
