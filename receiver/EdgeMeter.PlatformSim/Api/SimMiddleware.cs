using System.Globalization;
using EdgeMeter.PlatformSim.Faults;

namespace EdgeMeter.PlatformSim.Api;

/// <summary>The request log line and the fault injection that sit in front of the platform endpoints.</summary>
internal static class SimMiddleware
{
    public static void Use(WebApplication app, SimState sim)
    {
        if (sim.Options.RequestLog is { } log)
        {
            app.Use(async (context, next) =>
            {
                await next(context);
                var note = context.Items.TryGetValue(PlatformReply.NoteKey, out var text) ? $" {text}" : string.Empty;
                var status = context.RequestAborted.IsCancellationRequested ? "dropped" : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
                log($"[{sim.Name}] {context.Request.Method} {context.Request.Path} {status}{note}");
            });
        }

        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_sim"))
            {
                await next(context);
                return;
            }

            sim.Counters.Request();
            await InjectOrPassAsync(context, next, sim);
        });
    }

    private static async Task InjectOrPassAsync(HttpContext context, RequestDelegate next, SimState sim)
    {
        var fault = sim.Faults.Next();
        using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, sim.Stopping);
        if (fault.SlowMs > 0 && !await DelayAsync(fault.SlowMs, held.Token))
        {
            return;
        }

        switch (fault.Kind)
        {
            case FaultKind.Down:
                sim.Counters.FaultInjected();
                PlatformReply.Note(context, "fault: down, connection dropped");
                context.Abort();
                return;
            case FaultKind.Timeout:
                sim.Counters.FaultInjected();
                PlatformReply.Note(context, $"fault: held {fault.Argument} ms, connection dropped");
                await DelayAsync(fault.Argument, held.Token);
                context.Abort();
                return;
            case FaultKind.Status5xx:
                sim.Counters.FaultInjected();
                await PlatformReply.WriteAsync(context, fault.Argument, "injected fault: platform unavailable");
                return;
            default:
                await next(context);
                return;
        }
    }

    /// <summary>Waits, or returns false at once when the client went away or the simulator is stopping.</summary>
    private static async Task<bool> DelayAsync(int milliseconds, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(milliseconds, cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
