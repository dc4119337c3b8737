using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Binds every gRPC service (ours, health, reflection) the way Grpc.AspNetCore does, through the
/// generated <c>BindService</c> method, but with request marshallers that turn a message that does not
/// parse into INVALID_ARGUMENT and one log line. Left alone, such a message is UNKNOWN for the client
/// and two stack traces in the log, for every call a broken or hostile client makes.
/// </summary>
internal sealed partial class GuardedServiceMethodProvider<TService>(ILogger<GuardedServiceMethodProvider<TService>> logger)
    : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = FindBindMethod();
        if (bind is null)
        {
            return;
        }

        var binder = new Binder(context, logger);
        bind.Invoke(null, [binder, null]);
    }

    /// <summary>The generated static BindService(ServiceBinderBase, TServiceBase) named by the base class's attribute.</summary>
    private static MethodInfo? FindBindMethod()
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == attribute.BindMethodName
                        && m.GetParameters() is [var first, _]
                        && first.ParameterType == typeof(ServiceBinderBase));
            }
        }

        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, ILogger logger) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var target = Handler(method, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), Metadata(target), Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(target));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var target = Handler(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), Metadata(target), Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(target));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var target = Handler(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), Metadata(target), Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(target));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var target = Handler(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), Metadata(target), Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(target));
        }

        private static MethodInfo Handler(IMethod method, params Type[] parameters) =>
            typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {method.Name}.");

        // What Grpc.AspNetCore gives endpoints: the attributes of the service type, then of the method.
        private static List<object> Metadata(MethodInfo handler) =>
            [.. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true)];

        private static TDelegate Invoker<TDelegate>(MethodInfo handler)
            where TDelegate : Delegate =>
            (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler);

        private Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var inner = method.RequestMarshaller;
            var fullName = method.FullName;
            var requests = new Marshaller<TRequest>(
                inner.ContextualSerializer,
                payload =>
                {
                    try
                    {
                        return inner.ContextualDeserializer(payload);
                    }
                    catch (Exception e) when (e is not RpcException)
                    {
                        LogMalformed(logger, fullName, e.GetType().Name, e.Message);
                        throw new RpcException(new Status(
                            StatusCode.InvalidArgument,
                            "Message illisible : la requête n'est pas un message protobuf valide pour cette méthode."));
                    }
                });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
        }
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Malformed request message for {Method}: {Error} {Reason}")]
    private static partial void LogMalformed(ILogger logger, string method, string error, string reason);
}
